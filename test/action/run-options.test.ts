import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActionInputs, type InputName } from '../../src/action/inputs.js';
import { pairedRunOptions, runOptions } from '../../src/action/run-options.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { executeProfile } from '../../src/run/execute-profile.js';
import { captureIo } from '../cli/cli-io.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/** What the Action's inputs ask of the run: the wait, the shard and the seed reach executeProfile (and the paired run). */
const parse = (given: Partial<Record<InputName, string>>) => parseActionInputs((name) => given[name as InputName] ?? '');

describe('the run options of the Action', () => {
  it.each([
    [{}, { waitForTargetMs: 300_000 }],
    [{ seed: '42' }, { waitForTargetMs: 300_000, seed: 42 }],
    [{ seed: '0', 'wait-timeout': '90s', shard: '2/4' }, { waitForTargetMs: 90_000, shard: { index: 2, count: 4 }, seed: 0 }],
  ] as const)('%j -> %j', (given, expected) => {
    expect(runOptions(parse(given))).toStrictEqual(expected);
  });

  it.each([
    [{ 'baseline-url': 'http://127.0.0.1:1' }, { waitForTargetMs: 300_000, quiet: true, fixed: false }],
    [{ 'baseline-url': 'http://127.0.0.1:1', seed: '7' }, { waitForTargetMs: 300_000, quiet: true, fixed: false, pairing: { seed: 7 } }],
    [{ 'baseline-url': 'http://127.0.0.1:1', fixed: 'true' }, { waitForTargetMs: 300_000, quiet: true, fixed: true }],
    [{ 'baseline-url': 'http://127.0.0.1:1', 'max-duration': '45s' }, { waitForTargetMs: 300_000, quiet: true, fixed: false, maxDuration: { ms: 45_000, name: 'max-duration' } }],
  ] as const)('paired: %j -> %j', (given, expected) => {
    expect(pairedRunOptions(parse(given))).toStrictEqual(expected);
  });
});

describe('the seed input in a run', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      req.resume();
      res.end('ok');
    });
  });
  afterAll(() => server.close());

  it('is the run’s seed, before the profile’s, and is recorded', async () => {
    const profile = parseProfile(`target: ${server.url}\nseed: 5\nscenarios: { s: { executor: shared-iterations, vus: 1, iterations: 3 } }\njourneys: { j: { steps: [{ request: GET / }] } }\n`, { file: 'tailgate.yml', env: {} });
    const io = captureIo();
    const record = await executeProfile(profile, io, { ...runOptions(parse({ seed: '4242', 'wait-timeout': '5' })), quiet: true });
    expect(record.meta.seed).toBe(4242);
    expect(io.log.join('\n')).toMatch(/, seed 4242$/m);
    const without = await executeProfile(profile, captureIo(), { ...runOptions(parse({ 'wait-timeout': '5' })), quiet: true });
    expect(without.meta.seed).toBe(5);
  }, 20_000);
});
