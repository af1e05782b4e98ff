import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../src/config/profile-types.js';
import type { ErrorKind } from '../../src/record/run-record-types.js';
import { startChaosTarget, type ChaosTarget } from '../helpers/chaos-target.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/** How long a 600 ms run may take at most, whatever the target does (generous for a busy machine). */
const BOUND_MS = 15_000;

/**
 * Each misbehaviour of the chaos target, in a short run of its own: the run ends within the bound,
 * every request is counted, failures by the right kind, and nothing is followed elsewhere.
 */
const CASES: Array<{ path: string; options?: Partial<Step>; kind: ErrorKind | undefined }> = [
  { path: '/ok', kind: undefined },
  { path: '/reset', kind: 'reset' },
  { path: '/hang', options: { timeoutMs: 200 }, kind: 'timeout' },
  { path: '/drip', kind: undefined },
  { path: '/huge', kind: undefined },
  { path: '/garbage', kind: 'other' },
  { path: '/bad-chunked', kind: 'other' },
  { path: '/early-close', kind: 'reset' },
  { path: '/informational', options: { capture: { id: '$.id' } }, kind: undefined },
  { path: '/redirect', options: { expect: [200] }, kind: 'status' },
];

describe('a chaos target', () => {
  let target: ChaosTarget;
  beforeAll(async () => {
    target = await startChaosTarget();
  });
  afterAll(() => target.close());

  it.each(CASES.map((c) => ({ ...c, counted: c.kind ?? 'no error' })))('$path: $counted, within the bound', async ({ path, options, kind }) => {
    const started = Date.now();
    const record = await runProfile(
      profileWith({
        target: target.url,
        journeys: [{ name: 'j', weight: 1, steps: [step(`GET ${path}`, { name: 'chaos', ...options })] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 2, durationMs: 600 } }],
      }),
    );
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    const stats = record.steps.chaos;
    expect(stats?.requests).toBeGreaterThan(0);
    expect(target.arrivals()[path]).toBeGreaterThanOrEqual(stats?.requests ?? 1);
    if (kind === undefined) expect(stats?.errorKinds).toEqual({});
    else expect(stats?.errorKinds).toEqual({ [kind]: stats?.requests });
    expect(target.elsewhere.arrivals()).toBe(0);
  }, BOUND_MS + 5000);

  it('a redirect is a status like any other, and never followed', async () => {
    const record = await runProfile(
      profileWith({
        target: target.url,
        journeys: [{ name: 'j', weight: 1, steps: [step('GET /redirect', { name: 'redirect' })] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 2, durationMs: 300 } }],
      }),
    );
    expect(record.steps.redirect?.statuses).toEqual({ '302': record.steps.redirect?.requests });
    expect(record.steps.redirect?.errors).toBe(0);
    expect(target.elsewhere.arrivals()).toBe(0);
  }, BOUND_MS);
});
