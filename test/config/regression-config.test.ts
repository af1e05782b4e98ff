import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigProblem } from '../../src/config/config-error.js';
import { regressionOptions } from '../../src/config/regression-config.js';
import { parseProfile } from '../../src/config/load-profile.js';

/** The block's options, or a ConfigError with every problem, as loading the profile reports them. */
function read(regression: Record<string, unknown>) {
  const problems: ConfigProblem[] = [];
  const options = regressionOptions(regression, ['checkout', 'list'], (key, message, fix) => problems.push({ file: 'tailgate.yml', field: `regression.${key}`, message, fix }));
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}

describe('regressionOptions', () => {
  it.each<[Record<string, unknown>, object]>([
    [{}, {}],
    [{ p95: '10%' }, { p95Pct: 10 }],
    [{ p95: 15 }, { p95Pct: 15 }],
    [{ p95: '7.5 %' }, { p95Pct: 7.5 }],
    [{ throughput: '20%' }, { throughputPct: 20 }],
    [{ errors: '1%' }, { errorRateIncrease: 0.01 }],
    [{ errors: 0.5 }, { errorRateIncrease: 0.005 }],
    [{ alpha: 0.01 }, { alpha: 0.01 }],
    [{ noiseFloor: '5%' }, { noiseFloorPct: 5 }],
    [{ steps: ['checkout', 'overall'] }, { steps: ['checkout', 'overall'] }],
    [{ capacity: '10%' }, { capacityPct: 10 }],
    [{ recovery: 50 }, { recoveryPct: 50 }],
    [{ recovery: '150%' }, { recoveryPct: 150 }],
    [{ trend: '2.5%' }, { trendPctPerMinute: 2.5 }],
    [{ serverTiming: '20%' }, { serverTiming: { allPct: 20 } }],
    [{ serverTiming: 15 }, { serverTiming: { allPct: 15 } }],
    [{ serverTiming: { db: '20%', 'cache-read': 50 } }, { serverTiming: { byName: { db: 20, 'cache-read': 50 } } }],
    [{ p95: '10%', throughput: '10%', errors: '1%', alpha: 0.05, steps: ['checkout'] }, { p95Pct: 10, throughputPct: 10, errorRateIncrease: 0.01, alpha: 0.05, steps: ['checkout'] }],
  ])('%j -> %j', (regression, expected) => {
    expect(read(regression)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, RegExp]>([
    [{ p95: 'fast' }, /regression\.p95: must be a positive percentage \(got "fast"\)\. Fix: write the largest allowed p95 increase, e\.g\. 10%/],
    [{ p95: 0 }, /regression\.p95: must be a positive percentage/],
    [{ throughput: '100%' }, /regression\.throughput: must be a percentage between 0 and 100/],
    [{ errors: true }, /regression\.errors: must be a percentage between 0 and 100 \(got true\)/],
    [{ alpha: '5%' }, /regression\.alpha: must be a number between 0 and 0\.5 \(got "5%"\)/],
    [{ alpha: 0.5 }, /regression\.alpha/],
    [{ noiseFloor: -1 }, /regression\.noiseFloor/],
    [{ steps: 'checkout' }, /regression\.steps: must be a non-empty list of step names/],
    [{ steps: ['checkuot'] }, /regression\.steps: names "checkuot", which no journey has\. Fix: use step names \(checkout, list\) or "overall"/],
    [{ capacity: '100%' }, /regression\.capacity: must be a percentage between 0 and 100 \(got "100%"\)\. Fix: write the largest allowed drop of the sustainable rate, e\.g\. 10%/],
    [{ capacity: 0 }, /regression\.capacity: must be a percentage between 0 and 100/],
    [{ recovery: 'slow' }, /regression\.recovery: must be a positive percentage \(got "slow"\)\. Fix: write the largest allowed rise of the recovery time from a surge, e\.g\. 50%/],
    [{ recovery: 0 }, /regression\.recovery: must be a positive percentage/],
    [{ trend: '5%/min' }, /regression\.trend: must be a positive percentage a minute \(got "5%\/min"\)\. Fix: write the largest allowed extra growth of p95 a minute beyond the baseline's, e\.g\. 5%/],
    [{ trend: 0 }, /regression\.trend: must be a positive percentage a minute/],
    [{ serverTiming: 'db' }, /regression\.serverTiming: must be a positive percentage or a map of Server-Timing names to percentages \(got "db"\)\. Fix: write the largest allowed increase of a component's p95 for every component, e\.g\. 20%, or per Server-Timing name, e\.g\. \{ db: 20% \}/],
    [{ serverTiming: 0 }, /regression\.serverTiming: must be a positive percentage/],
    [{ serverTiming: ['db'] }, /regression\.serverTiming: must be a positive percentage or a map/],
    [{ serverTiming: {} }, /regression\.serverTiming: must name between 1 and 100 Server-Timing components \(got 0\)/],
    [{ serverTiming: { db: 'fast' } }, /regression\.serverTiming: db must be a positive percentage \(got "fast"\)\. Fix: write the largest allowed increase of db's p95, e\.g\. \{ db: 20% \}/],
    [{ serverTiming: { 'db time': '20%' } }, /regression\.serverTiming: names "db time", which is not a Server-Timing metric name\. Fix: use the name as the target sends it/],
  ])('refuses %j', (regression, message) => {
    expect(() => read(regression)).toThrow(ConfigError);
    expect(() => read(regression)).toThrow(message);
  });

  it('reports every bad field at once', () => {
    try {
      read({ p95: 'x', alpha: 2 });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.field)).toEqual(['regression.p95', 'regression.alpha']);
    }
  });
});

describe('regression.serverTiming in a profile', () => {
  const profile = (serverTiming: string): string =>
    `name: shop\ntarget: http://127.0.0.1:3000\nscenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: GET /, name: checkout }] } }\nregression: { serverTiming: ${serverTiming} }\n`;

  it.each<[string, object]>([
    ['20%', { allPct: 20 }],
    ['{ db: 20%, app: 50 }', { byName: { db: 20, app: 50 } }],
  ])('reads %s', (written, expected) => {
    expect(parseProfile(profile(written), { file: 't.yml', env: {} }).regression.serverTiming).toEqual(expected);
  });

  it('reports a wrong one with the file, the field and the fix', () => {
    expect(() => parseProfile(profile('{ db: fast }'), { file: 't.yml', env: {} })).toThrow(/t\.yml.*regression\.serverTiming/s);
  });
});
