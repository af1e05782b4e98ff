import { describe, expect, it } from 'vitest';
import type { ActionIo } from '../../src/action/action-io.js';
import { parseActionInputs } from '../../src/action/inputs.js';
import { acceptsChange, headCommitMessage, recordStep } from '../../src/action/record-step.js';
import type { BaselineBundle } from '../../src/baseline/baseline-bundle.js';
import type { BaselineStore } from '../../src/baseline/baseline-store.js';
import type { Profile } from '../../src/config/profile-types.js';
import { recordingLogger } from '../../src/logging.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 5 };
const run = (sequence: number) => {
  const record = syntheticRun({ model, random: seededRandom(sequence), sequence });
  return { ...record, meta: { ...record.meta, startedAt: new Date(Date.UTC(2026, 0, 1, sequence)).toISOString() } };
};

/** A store kept in memory: what a file, cache or artifact would hold. */
function memoryStore(initial?: BaselineBundle): BaselineStore & { saved: BaselineBundle[] } {
  const saved: BaselineBundle[] = [];
  return {
    kind: 'file',
    saved,
    load: async () => {
      const bundle = saved.at(-1) ?? initial;
      return bundle === undefined ? undefined : { bundle, source: 'memory' };
    },
    save: async (bundle) => {
      saved.push(JSON.parse(JSON.stringify(bundle)) as BaselineBundle);
      return { saved: true, where: 'memory' };
    },
  };
}

function io(now = new Date(Date.UTC(2026, 0, 2))): ActionIo {
  return {
    env: { runId: '7', runAttempt: '1' },
    logger: recordingLogger(),
    now: () => now,
    writeSummary: async () => {},
    setOutputs: () => {},
  } as unknown as ActionIo;
}

const profile = { thresholds: [] } as unknown as Profile;
const inputs = (given: Record<string, string> = {}) => parseActionInputs((name) => given[name] ?? '');

describe('the Tailgate-Accept trailer', () => {
  it.each([
    ['Make checkout 20% slower on purpose\n\nTailgate-Accept: synthetic', true],
    ['Speed up\n\nSigned-off-by: A <a@example.com>\ntailgate-accept: all', true],
    ['Two profiles\n\nTailgate-Accept: shop, synthetic', true],
    ['Another profile\n\nTailgate-Accept: shop', false],
    ['Tailgate-Accept: synthetic\n\nonly in the first paragraph, not a trailer', false],
    ['No trailer at all', false],
  ])('%j accepts for profile synthetic: %s', (message, expected) => {
    expect(acceptsChange(message, 'synthetic')).toBe(expected);
  });

  it('is read from a push event’s head commit only', () => {
    expect(headCommitMessage({ head_commit: { message: 'x\n\nTailgate-Accept: all' } })).toBe('x\n\nTailgate-Accept: all');
    expect(headCommitMessage({ pull_request: { title: 'y' } })).toBeUndefined();
    expect(headCommitMessage(null)).toBeUndefined();
  });
});

describe('recordStep', () => {
  const history: BaselineBundle = { schema: 'tailgate.baseline/v1', profile: { id: 'synthetic', hash: run(0).meta.profile.hash }, runs: [run(1), run(2), run(3)] };

  it('marks a run pushed with Tailgate-Accept as starting a new segment, keeping the history, and the stored record reads back', async () => {
    const store = memoryStore(history);
    await recordStep({ record: run(4), profile, inputs: inputs(), sha: 'a'.repeat(40), store, commitMessage: 'Slower on purpose\n\nTailgate-Accept: synthetic' }, io());
    const saved = store.saved.at(-1)!;
    expect(saved.runs).toHaveLength(4);
    expect(saved.runs.at(-1)!.meta.baseline).toEqual({ newSegment: 'accepted' });
    expect(saved.runs.slice(0, 3).every((r) => r.meta.baseline === undefined)).toBe(true);
    expect(parseRunRecord(JSON.stringify(saved.runs.at(-1)), 'saved.json').meta.baseline).toEqual({ newSegment: 'accepted' });
  });

  it('adds an ordinary run without a mark', async () => {
    const store = memoryStore(history);
    await recordStep({ record: run(4), profile, inputs: inputs(), sha: 'a'.repeat(40), store, commitMessage: 'Refactor\n\nTailgate-Accept: shop' }, io());
    expect(store.saved.at(-1)!.runs.at(-1)!.meta.baseline).toBeUndefined();
  });

  it('with baseline-reset: true keeps this run alone, marked as a reset', async () => {
    const store = memoryStore(history);
    await recordStep({ record: run(4), profile, inputs: inputs({ 'baseline-reset': 'true' }), sha: 'a'.repeat(40), store }, io());
    const saved = store.saved.at(-1)!;
    expect(saved.runs).toHaveLength(1);
    expect(saved.runs[0]!.meta.runId).toBe('synthetic-4');
    expect(saved.runs[0]!.meta.baseline).toEqual({ newSegment: 'reset' });
  });

  it("judges a run's date by the Action's clock: a run dated a day past it is not added", async () => {
    const store = memoryStore(history);
    await recordStep({ record: run(4), profile, inputs: inputs(), sha: 'a'.repeat(40), store }, io(new Date(Date.UTC(2025, 11, 31))));
    expect(store.saved.at(-1)?.runs.some((r) => r.meta.runId === 'synthetic-4') ?? false).toBe(false);
  });
});
