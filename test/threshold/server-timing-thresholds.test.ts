import { describe, expect, it } from 'vitest';
import { formatThresholds } from '../../src/cli/comparison-table.js';
import { parseThreshold, ThresholdError } from '../../src/threshold/threshold-expression.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../src/record/histogram.js';
import type { RunRecord, StepRecord } from '../../src/record/run-record-types.js';
import { buildRunRecord, constantBlocks } from '../compare/record-builder.js';

/** durations (ms) -> an encoded histogram of them. */
function histogram(valuesMs: readonly number[]): string {
  const h = createHistogram();
  for (const ms of valuesMs) recordMicros(h, ms * 1000);
  return encodeHistogram(h);
}

// checkout reported db (1.0 ms ×50, then 2.0 ms ×50) and app (0.5 ms); list reported db at 1.5 ms ×100.
// Below 2.048 ms the histogram is exact.
const base = buildRunRecord({ steps: { checkout: constantBlocks([1, 1]), list: constantBlocks([1, 1]) } });
const timing = (components: Record<string, number[]>): NonNullable<StepRecord['serverTiming']> => ({
  responses: 100,
  malformed: 0,
  dropped: 0,
  components: Object.fromEntries(Object.entries(components).map(([name, values]) => [name, { histogram: histogram(values), entries: values.length, blocks: [histogram(values)] }])),
});
const fill = (n: number, ms: number): number[] => Array.from({ length: n }, () => ms);
const run: RunRecord = {
  ...base,
  steps: {
    checkout: { ...(base.steps.checkout as StepRecord), serverTiming: timing({ db: [...fill(50, 1), ...fill(50, 2)], app: fill(100, 0.5) }) },
    list: { ...(base.steps.list as StepRecord), serverTiming: timing({ db: fill(100, 1.5) }) },
  },
};

const evaluate = (metric: string, expression: string) => evaluateThresholds(run, [parseThreshold({ metric, expressions: [expression] })])[0];

describe('server_timing thresholds', () => {
  it.each([
    ['server_timing{name:db,step:checkout}', 'p(95)<1.5', 2, 'broken'],
    ['server_timing{name:db,step:checkout}', 'avg<=1.5', 1.5, 'ok'],
    ['server_timing{step:checkout,name:db}', 'med<2', 1, 'ok'],
    ['server_timing{name:db,step:checkout}', 'min>=1', 1, 'ok'],
    ['server_timing{name:db,step:checkout}', 'max<2', 2, 'broken'],
    ['server_timing{name:app}', 'p(99)<1', 0.5, 'ok'],
    // Every step's db together: 50 at 1.0, 100 at 1.5, 50 at 2.0.
    ['server_timing{name:db}', 'avg<1.5', 1.5, 'broken'],
    ['server_timing{name:"db"}', 'p(50)==1.5', 1.5, 'ok'],
  ] as const)('%s: %s -> observed %s, %s', (metric, expression, observed, status) => {
    const result = evaluate(metric, expression);
    expect(result?.observed).toBeCloseTo(observed, 12);
    expect(result).toMatchObject({ status, unit: 'ms' });
    expect(result?.noData).toBeUndefined();
  });

  it('says which names the run saw when the target sent no component of that name, instead of failing', () => {
    const result = evaluate('server_timing{name:dbb}', 'p(95)<50');
    expect(result).toMatchObject({ status: 'no-data', observed: null, noData: 'no response carried a Server-Timing component named "dbb" (the run saw app, db)' });
    expect(evaluate('server_timing{name:app,step:list}', 'p(95)<50')?.noData).toBe('no response of list carried a Server-Timing component named "app" (the run saw db)');
    const plain = evaluateThresholds(base, [parseThreshold({ metric: 'server_timing{name:db}', expressions: ['p(95)<50'] })])[0];
    expect(plain?.noData).toBe('no response carried a Server-Timing component named "db" (none carried a Server-Timing header)');
    expect(formatThresholds(result ? [result] : [], 300)).toContain('no data server_timing{name:dbb}: p(95)<50, observed - (no response carried a Server-Timing component named "dbb" (the run saw app, db))');
  });

  it.each([
    ['server_timing', 'p(95)<50', /server_timing names no Server-Timing component\. Fix: write server_timing\{name:NAME\}/],
    ['server_timing{step:checkout}', 'p(95)<50', /server_timing names no Server-Timing component/],
    ['server_timing{name:db,name:app}', 'p(95)<50', /names a name twice/],
    ['server_timing{name:db time}', 'p(95)<50', /"db time" is not a Server-Timing metric name\. Fix: write the name as the target sends it/],
    ['server_timing{name:db,scenario:main}', 'p(95)<50', /server_timing cannot be selected by scenario.*Fix: select server_timing with \{name:NAME\} or \{step:NAME\}/],
    ['server_timing{name:db}', 'rate<1', /"rate" is not an aggregation of server_timing\. Fix: use one of p\(N\), avg, med, min, max/],
    ['server_timing{name:db}', 'p95<1', /Fix: write p\(95\)/],
    ['http_req_duration{name:db}', 'p(95)<1', /no step is named "db"/],
    ['server_timing{name:db,step:cart}', 'p(95)<1', /no step is named "cart"/],
  ])('refuses %s: %s', (metric, expression, message) => {
    const attempt = () => evaluateThresholds(run, [parseThreshold({ metric, expressions: [expression] })]);
    expect(attempt).toThrow(ThresholdError);
    expect(attempt).toThrow(message);
  });

  it('refuses abortOnFail: the components are read from the record once the run ends', () => {
    expect(() => parseThreshold({ metric: 'server_timing{name:db}', expressions: ['p(95)<50'], abortOnFail: [{ expression: 0, delayAbortEvalMs: 0 }] })).toThrow(
      /"p\(95\)<50": abortOnFail cannot watch server_timing: the components are read from the run record once the run ends\. Fix: write the expression as text, without abortOnFail/,
    );
  });
});
