import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { addToBundle, type BaselineBundle } from '../../src/baseline/baseline-bundle.js';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { Profile } from '../../src/config/profile-types.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';
import { threeStepRecords } from '../report/three-steps-case.js';
import { buildRunRecord, constantBlocks, syntheticRun, type SyntheticStep } from './record-builder.js';

/**
 * Writes (and thereafter checks) the documented fixtures: run records and a baseline bundle in
 * test/fixtures/records/, and the comparisons the report snapshots render in
 * test/report/comparisons/. Regenerate after a deliberate change with `npx vitest run -u`.
 * See test/fixtures/records/README.md.
 */
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const SHOP: Record<string, SyntheticStep> = { list: { medianMs: 35, requestsPerBlock: 300 }, checkout: { medianMs: 120, requestsPerBlock: 220 } };
const withScale = (steps: Record<string, SyntheticStep>, scales: Record<string, Partial<SyntheticStep>>): Record<string, SyntheticStep> =>
  Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, { ...step, ...scales[name] }]));

function baselineBundle(): BaselineBundle {
  const offsets = [1, 1.02, 0.98, 1.01, 0.99];
  let bundle: BaselineBundle | undefined;
  offsets.forEach((offset, i) => {
    const run = syntheticRun(1000 + i, withScale(SHOP, { list: { scale: offset }, checkout: { scale: offset } }), { sequence: i, commit: `${i}a1b2c3d4e5f6a7b8c9d0`, runId: `9000${i}` });
    bundle = addToBundle(bundle, run, 10).bundle;
  });
  return bundle as BaselineBundle;
}

const head = (steps: Record<string, SyntheticStep>, meta: Parameters<typeof syntheticRun>[2] = {}): RunRecord =>
  syntheticRun(2000, steps, { sequence: 24, commit: 'f00dfacecafebeef0123', runId: '9100', ...meta });

const currents = {
  'current-pass': head(SHOP),
  'current-regression': head(withScale(SHOP, { checkout: { scale: 1.35 } })),
  'current-other-profile': head(SHOP, { profileHash: 'ffee00ddcc11bb22aa33' }),
  'current-generator-invalid': head(withScale(SHOP, { checkout: { scale: 1.35 } }), {
    generatorValid: false,
    generatorReasons: ['event-loop delay p99 was 184 ms (limit 50 ms)'],
  }),
};

const thresholds: Profile['thresholds'] = [
  { metric: 'http_req_duration', expressions: ['p(95)<500'], location: { file: 'tailgate.yml', line: 30, column: 3 } },
  { metric: 'http_req_duration{step:checkout}', expressions: ['p(99)<260'], location: { file: 'tailgate.yml', line: 31, column: 3 } },
  { metric: 'http_req_failed', expressions: ['rate<0.01'], location: { file: 'tailgate.yml', line: 32, column: 3 } },
].map(parseThreshold);

describe('fixtures', () => {
  const bundle = baselineBundle();

  it('baseline bundle and current runs', async () => {
    await expect(json(bundle)).toMatchFileSnapshot('../fixtures/records/baseline-bundle.json');
    for (const [name, run] of Object.entries(currents)) await expect(json(run)).toMatchFileSnapshot(`../fixtures/records/${name}.json`);
  });

  it('comparisons for the report snapshots', async () => {
    const noisyBase = buildRunRecord({ steps: { search: constantBlocks([1.0, 1.6, 1.0, 1.6, 1.0, 1.6]) }, sequence: 0, commit: 'aaaabbbbccccdddd' });
    const noisyHead = buildRunRecord({ steps: { search: constantBlocks([1.05, 1.7, 1.05, 1.7, 1.05, 1.7]) }, sequence: 1, commit: 'eeeeffff00001111' });
    const comparisons = {
      regression: compareRuns({ baselines: bundle.runs, current: currents['current-regression'], thresholds }),
      pass: compareRuns({ baselines: bundle.runs, current: currents['current-pass'], thresholds }),
      improvement: compareRuns({ baselines: bundle.runs, current: head(withScale(SHOP, { list: { scale: 0.6 } })) }),
      inconclusive: compareRuns({ baselines: [noisyBase], current: noisyHead }),
      'other-profile': compareRuns({ baselines: bundle.runs, current: currents['current-other-profile'] }),
      'first-run': compareRuns({ baselines: [], current: currents['current-pass'], thresholds }),
      'generator-invalid': compareRuns({ baselines: bundle.runs, current: currents['current-generator-invalid'] }),
      'threshold-broken': compareRuns({ baselines: bundle.runs, current: currents['current-pass'], thresholds: [{ metric: 'http_req_duration{step:list}', expressions: ['p(95)<40', 'avg<100'] }].map(parseThreshold) }),
      'three-steps': compareRuns({ ...threeStepRecords(), thresholds }),
      paired: comparePaired({ paired: syntheticPaired({ seed: 11, headScale: 1.3 }) }),
    };
    expect(comparisons.regression.verdict).toBe('regression');
    expect(comparisons.pass.verdict).toBe('pass');
    expect(comparisons.improvement.verdict).toBe('improvement');
    expect(comparisons.inconclusive.verdict).toBe('inconclusive');
    expect(comparisons['other-profile'].verdict).toBe('no-baseline');
    expect(comparisons['generator-invalid'].verdict).toBe('inconclusive');
    expect(comparisons['threshold-broken'].conclusion).toBe('failure');
    expect(comparisons['three-steps'].verdict).toBe('regression');
    expect(comparisons.paired.verdict).toBe('regression');
    for (const [name, comparison] of Object.entries(comparisons)) await expect(json(comparison)).toMatchFileSnapshot(`../report/comparisons/${name}.json`);
  });
});
