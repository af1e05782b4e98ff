import { describe, expect, it } from 'vitest';
import { addToBundle, BASELINE_SCHEMA, type BaselineBundle } from '../../src/baseline/baseline-bundle.js';
import { buildRunRecord, constantBlocks, type RunSpec } from '../compare/record-builder.js';

const run = (sequence: number, spec: Partial<RunSpec> = {}) => buildRunRecord({ steps: { home: constantBlocks([1]) }, sequence, runId: `r${sequence}`, ...spec });
const sequences = (bundle: BaselineBundle | undefined) => bundle?.runs.map((r) => r.meta.runId);
/** The clock the tests hold still: a day after the builder's first run. */
const NOW = new Date('2026-01-02T00:00:00Z');

describe('addToBundle', () => {
  it('starts a bundle for the first run', () => {
    const { bundle, added, notes } = addToBundle(undefined, run(1), 5);
    expect(added).toBe(true);
    expect(notes).toEqual([]);
    expect(bundle?.schema).toBe(BASELINE_SCHEMA);
    expect(bundle?.profile).toEqual(run(1).meta.profile);
    expect(sequences(bundle)).toEqual(['r1']);
  });

  it('keeps the newest N, oldest first', () => {
    let bundle: BaselineBundle | undefined;
    for (const sequence of [1, 2, 3, 4]) bundle = addToBundle(bundle, run(sequence), 3).bundle;
    expect(sequences(bundle)).toEqual(['r2', 'r3', 'r4']);
    const update = addToBundle(bundle, run(5), 3);
    expect(sequences(update.bundle)).toEqual(['r3', 'r4', 'r5']);
    expect(update.notes).toEqual(['Dropped the 1 oldest baseline run(s) to keep the last 3.']);
  });

  it('rotates in the order runs were recorded, whatever dates they claim', () => {
    // A slow job saving after a newer one is still the latest recorded: it is kept, the first recorded goes.
    let bundle = addToBundle(undefined, run(3), 3, NOW).bundle;
    bundle = addToBundle(bundle, run(1), 3, NOW).bundle;
    bundle = addToBundle(bundle, run(4), 3, NOW).bundle;
    const late = addToBundle(bundle, run(0), 3, NOW);
    expect(late.added).toBe(true);
    expect(sequences(late.bundle)).toEqual(['r1', 'r4', 'r0']);
    expect(late.notes).toEqual(['Dropped the 1 oldest baseline run(s) to keep the last 3.']);
  });

  it('does not add a run dated in the future, and says when it claims to be', () => {
    const bundle = addToBundle(undefined, run(1), 3, NOW).bundle;
    const at = (minutesAfterNow: number) => {
      const r = run(2);
      r.meta.startedAt = new Date(NOW.getTime() + minutesAfterNow * 60_000).toISOString();
      r.meta.endedAt = r.meta.startedAt;
      return r;
    };
    const update = addToBundle(bundle, at(11), 3, NOW);
    expect(update.added).toBe(false);
    expect(update.bundle).toBe(bundle);
    expect(update.notes).toEqual(["This run was not added to the baseline: run r2 (dated 2026-01-02T00:11:00.000Z) is dated more than 10 minutes after this runner's clock (2026-01-02T00:00:00.000Z)."]);
    // Within the skew a runner's clock may have, it is taken as recorded now.
    expect(addToBundle(bundle, at(9), 3, NOW).added).toBe(true);
  });

  it('a run dated 2099 neither stays for ever nor refuses the runs after it (history: 1)', () => {
    const forged = run(1, { runId: 'forged' });
    forged.meta.startedAt = '2099-01-01T00:00:00.000Z';
    forged.meta.endedAt = '2099-01-01T00:01:00.000Z';
    const wedged: BaselineBundle = { schema: BASELINE_SCHEMA, profile: { ...forged.meta.profile }, runs: [forged] };
    const next = addToBundle(wedged, run(2), 1, NOW);
    expect(next.added).toBe(true);
    expect(sequences(next.bundle)).toEqual(['r2']);
    expect(next.notes).toEqual([expect.stringMatching(/^Dropped run forged \(.*dated 2099-01-01T00:00:00.000Z\) is dated more than 10 minutes after this runner's clock/)]);
  });

  it('replaces a run saved twice instead of counting it twice', () => {
    const bundle = addToBundle(undefined, run(1), 3).bundle;
    const again = addToBundle(bundle, run(1), 3);
    expect(sequences(again.bundle)).toEqual(['r1']);
    expect(again.notes).toEqual(['This run was already in the baseline; it was replaced.']);
  });

  it('starts a new history when the profile changed, and says so', () => {
    let bundle = addToBundle(undefined, run(1), 3).bundle;
    bundle = addToBundle(bundle, run(2), 3).bundle;
    const changed = addToBundle(bundle, run(3, { profileHash: 'ffff0000ffff0000' }), 3);
    expect(changed.added).toBe(true);
    expect(sequences(changed.bundle)).toEqual(['r3']);
    expect(changed.bundle?.profile.hash).toBe('ffff0000ffff0000');
    expect(changed.notes[0]).toBe('The profile changed (hash a1b2c3d4e5f6 -> ffff0000ffff): started a new baseline history; the 2 earlier run(s) were dropped.');
  });

  it('does not add a run whose generator was the bottleneck', () => {
    const bundle = addToBundle(undefined, run(1), 3).bundle;
    const update = addToBundle(bundle, run(2, { generatorValid: false }), 3);
    expect(update.added).toBe(false);
    expect(update.bundle).toBe(bundle);
    expect(update.notes[0]).toMatch(/generator was the bottleneck/);
  });

  it('adds a run whose generator fell behind by a known amount smaller than its p95, and says how comparisons treat it', () => {
    const bundle = addToBundle(undefined, run(1), 3).bundle;
    const late = run(2, { generatorValid: false });
    const p95 = late.summary.overall.p95;
    const lateness = { starts: 1000, lateTotalMs: 900, lateMaxMs: 40, lateFractionUpper: 0.05, p95Pct: 20, throughputPct: 0, limitP95Pct: 2.5, limitThroughputPct: 2.5 };
    const update = addToBundle(bundle, { ...late, generator: { ...late.generator, eventLoopDelayP99Ms: 0, lateness } }, 3);
    expect(update.added).toBe(true);
    expect(update.bundle?.runs).toHaveLength(2);
    expect(update.notes[0]).toMatch(/added to the baseline although the load generator fell behind \(it could have added up to [\d.]+ ms to a p95\)/);
    // By as much as the whole p95: it measured the generator.
    const swamped = addToBundle(bundle, { ...late, generator: { ...late.generator, eventLoopDelayP99Ms: p95, lateness } }, 3);
    expect(swamped.added).toBe(false);
    expect(swamped.notes[0]).toMatch(/generator was the bottleneck/);
  });

  it('does not add a run that an abortOnFail threshold stopped early, and names the threshold', () => {
    const bundle = addToBundle(undefined, run(1), 3).bundle;
    const aborted = run(2);
    aborted.meta.aborted = { metric: 'http_req_failed', expression: 'rate<0.01', observed: 0.2, atMs: 4000 };
    const update = addToBundle(bundle, aborted, 3);
    expect(update.added).toBe(false);
    expect(update.bundle).toBe(bundle);
    expect(update.notes).toEqual(['This run was not added to the baseline: the threshold http_req_failed: rate<0.01 stopped it early (abortOnFail).']);
  });

  it('refuses a history size that is not a whole number ≥ 1', () => {
    expect(() => addToBundle(undefined, run(1), 0)).toThrow(RangeError);
    expect(() => addToBundle(undefined, run(1), 2.5)).toThrow(RangeError);
  });
});
