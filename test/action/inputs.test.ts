import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/action/input-error.js';
import { INPUT_NAMES, parseActionInputs, type ActionInputs, type InputName } from '../../src/action/inputs.js';

/** A getInput over a map, as @actions/core behaves: a missing input is the empty string. */
function inputs(given: Partial<Record<InputName, string>> = {}): (name: string) => string {
  return (name) => given[name as InputName] ?? '';
}

const parse = (given: Partial<Record<InputName, string>> = {}): ActionInputs => parseActionInputs(inputs(given));

describe('parseActionInputs: nothing given', () => {
  it('gives every default', () => {
    expect(parse()).toStrictEqual({
      configPath: 'tailgate.yml',
      targetUrl: undefined,
      waitTimeoutMs: 300_000,
      mode: 'auto',
      baselineStorage: { kind: 'auto' },
      history: 10,
      baselineReset: false,
      thresholdPct: undefined,
      alpha: undefined,
      failOn: 'regression',
      comment: 'always',
      check: true,
      githubToken: undefined,
      shard: undefined,
      shardStart: undefined,
      allowedHosts: [],
      baselineUrl: undefined,
      seed: undefined,
      forkVerdict: 'neutral',
      fixed: false,
      maxDurationMs: undefined,
      results: undefined,
    } satisfies ActionInputs);
  });
});

/** One row per good value: the inputs given and the part of the result they set. */
const good: Array<{ given: Partial<Record<InputName, string>>; expected: Partial<ActionInputs> }> = [
  { given: { config: 'perf/checkout.yml' }, expected: { configPath: 'perf/checkout.yml' } },
  { given: { config: '  tailgate.yml \n' }, expected: { configPath: 'tailgate.yml' } },
  { given: { 'target-url': 'https://preview.example.com' }, expected: { targetUrl: 'https://preview.example.com' } },
  { given: { 'target-url': 'http://127.0.0.1:3000/api/' }, expected: { targetUrl: 'http://127.0.0.1:3000/api/' } },
  { given: { 'wait-timeout': '0' }, expected: { waitTimeoutMs: 0 } },
  { given: { 'wait-timeout': '300' }, expected: { waitTimeoutMs: 300_000 } },
  { given: { 'wait-timeout': '3600' }, expected: { waitTimeoutMs: 3_600_000 } },
  { given: { 'wait-timeout': '90s' }, expected: { waitTimeoutMs: 90_000 } },
  { given: { 'wait-timeout': '5m' }, expected: { waitTimeoutMs: 300_000 } },
  { given: { 'wait-timeout': '1m30s' }, expected: { waitTimeoutMs: 90_000 } },
  { given: { 'wait-timeout': '1h' }, expected: { waitTimeoutMs: 3_600_000 } },
  { given: { 'wait-timeout': '500ms' }, expected: { waitTimeoutMs: 500 } },
  { given: { mode: 'auto' }, expected: { mode: 'auto' } },
  { given: { mode: 'compare' }, expected: { mode: 'compare' } },
  { given: { mode: 'baseline' }, expected: { mode: 'baseline' } },
  { given: { mode: 'report' }, expected: { mode: 'report' } },
  { given: { mode: 'merge' }, expected: { mode: 'merge' } },
  { given: { 'baseline-storage': 'cache' }, expected: { baselineStorage: { kind: 'cache' } } },
  { given: { 'baseline-storage': 'artifact' }, expected: { baselineStorage: { kind: 'artifact' } } },
  { given: { 'baseline-storage': 'auto' }, expected: { baselineStorage: { kind: 'auto' } } },
  {
    given: { 'baseline-storage': 'file', 'baseline-file': '.tailgate/baseline.json' },
    expected: { baselineStorage: { kind: 'file', file: '.tailgate/baseline.json' } },
  },
  { given: { history: '1' }, expected: { history: 1 } },
  { given: { history: '100' }, expected: { history: 100 } },
  { given: { threshold: '10' }, expected: { thresholdPct: 10 } },
  { given: { threshold: '10%' }, expected: { thresholdPct: 10 } },
  { given: { threshold: '2.5' }, expected: { thresholdPct: 2.5 } },
  { given: { threshold: '99.9%' }, expected: { thresholdPct: 99.9 } },
  { given: { alpha: '0.05' }, expected: { alpha: 0.05 } },
  { given: { alpha: '.01' }, expected: { alpha: 0.01 } },
  { given: { alpha: '0.49' }, expected: { alpha: 0.49 } },
  { given: { 'fail-on': 'regression' }, expected: { failOn: 'regression' } },
  { given: { 'fail-on': 'inconclusive' }, expected: { failOn: 'inconclusive' } },
  { given: { 'fail-on': 'never' }, expected: { failOn: 'never' } },
  { given: { comment: 'always' }, expected: { comment: 'always' } },
  { given: { comment: 'on-change' }, expected: { comment: 'on-change' } },
  { given: { comment: 'never' }, expected: { comment: 'never' } },
  { given: { check: 'true' }, expected: { check: true } },
  { given: { check: 'false' }, expected: { check: false } },
  { given: { 'baseline-reset': 'true' }, expected: { baselineReset: true } },
  { given: { 'baseline-reset': 'false' }, expected: { baselineReset: false } },
  { given: { check: 'False' }, expected: { check: false } },
  { given: { check: 'TRUE' }, expected: { check: true } },
  { given: { 'github-token': 'ghs_example' }, expected: { githubToken: 'ghs_example' } },
  { given: { shard: '1/1' }, expected: { shard: { index: 1, count: 1 } } },
  { given: { shard: '2/4' }, expected: { shard: { index: 2, count: 4 } } },
  { given: { shard: '2/4', 'shard-start': '2026-12-02T12:00:00Z' }, expected: { shardStart: new Date('2026-12-02T12:00:00Z') } },
  { given: { shard: '2/4', 'shard-start': '1796212800\n' }, expected: { shardStart: new Date('2026-12-02T12:00:00Z') } },
  { given: { 'baseline-url': 'https://production.example.com' }, expected: { baselineUrl: 'https://production.example.com' } },
  { given: { 'baseline-url': 'https://production.example.com', fixed: 'true' }, expected: { baselineUrl: 'https://production.example.com', fixed: true } },
  { given: { 'baseline-url': 'https://production.example.com', 'max-duration': '45' }, expected: { maxDurationMs: 45_000 } },
  { given: { 'baseline-url': 'https://production.example.com', 'max-duration': '2m' }, expected: { maxDurationMs: 120_000 } },
  { given: { 'allowed-hosts': 'cdn.example.com' }, expected: { allowedHosts: ['cdn.example.com'] } },
  { given: { 'allowed-hosts': '*.Previews.example.com:443' }, expected: { allowedHosts: ['*.previews.example.com:443'] } },
  { given: { seed: '42' }, expected: { seed: 42 } },
  { given: { seed: '0' }, expected: { seed: 0 } },
  { given: { seed: ' 4294967295\n' }, expected: { seed: 4294967295 } },
  { given: { 'fork-verdict': 'neutral' }, expected: { forkVerdict: 'neutral' } },
  { given: { 'fork-verdict': 'enforce', mode: 'report' }, expected: { forkVerdict: 'enforce' } },
  {
    given: { 'allowed-hosts': 'cdn.example.com, Auth.Example.com:8443\n127.0.0.1:9000\n[::1]:8080\n' },
    expected: { allowedHosts: ['cdn.example.com', 'auth.example.com:8443', '127.0.0.1:9000', '[::1]:8080'] },
  },
  { given: { results: ' out/results.json ' }, expected: { results: { path: 'out/results.json', format: undefined, profileId: undefined } } },
  { given: { results: 'r.csv', 'results-format': 'auto' }, expected: { results: { path: 'r.csv', format: undefined, profileId: undefined } } },
  { given: { results: 'r.jtl', 'results-format': 'jmeter', 'results-profile': 'checkout' }, expected: { results: { path: 'r.jtl', format: 'jmeter', profileId: 'checkout' } } },
];

describe('parseActionInputs: good values', () => {
  it.each(good.map((row) => [JSON.stringify(row.given), row] as const))('%s', (_, row) => {
    expect(parse(row.given)).toMatchObject(row.expected);
  });
});

/** One row per bad value: the inputs given and the whole message. */
const bad: Array<{ given: Partial<Record<InputName, string>>; message: string }> = [
  { given: { fixed: 'true' }, message: 'input "fixed" keeps a paired run (baseline-url) to its whole length, and there is no baseline-url: remove fixed, or set baseline-url' },
  { given: { 'max-duration': '45s' }, message: 'input "max-duration" limits a paired run (baseline-url), and there is no baseline-url: a run against a stored baseline must measure what its baseline runs did. Remove max-duration, or set baseline-url' },
  { given: { 'baseline-url': 'https://production.example.com', 'max-duration': 'soon' }, message: 'input "max-duration" must be a duration above 0, as whole seconds (45) or with units (45s, 2m) (got "soon")' },
  { given: { 'baseline-url': 'https://production.example.com', 'max-duration': '0' }, message: 'input "max-duration" must be a duration above 0, as whole seconds (45) or with units (45s, 2m) (got "0")' },
  { given: { 'baseline-url': 'https://production.example.com', fixed: 'yes' }, message: 'input "fixed" must be true or false (got "yes")' },
  {
    given: { 'baseline-url': 'production.example.com' },
    message: 'input "baseline-url" must be an http or https URL with an optional base path and no query, fragment or credentials, like https://production.example.com (got "production.example.com")',
  },
  {
    given: { 'target-url': 'preview.example.com' },
    message: 'input "target-url" must be an http or https URL with an optional base path and no query, fragment or credentials, like https://preview.example.com (got "preview.example.com")',
  },
  { given: { 'target-url': 'ftp://files.example.com' }, message: 'got "ftp://files.example.com"' },
  { given: { 'target-url': 'https://preview.example.com/?x=1' }, message: 'got "https://preview.example.com/?x=1"' },
  { given: { 'target-url': 'https://preview.example.com/#top' }, message: 'got "https://preview.example.com/#top"' },
  { given: { 'target-url': 'https://user:secret@preview.example.com' }, message: 'input "target-url" must be an http or https URL' },
  {
    given: { 'wait-timeout': 'soon' },
    message: 'input "wait-timeout" must be from 0 to 3600 seconds, as whole seconds (300) or a duration (5m, 90s, 1m30s) (got "soon")',
  },
  { given: { 'wait-timeout': '3601' }, message: '(got "3601")' },
  { given: { 'wait-timeout': '2h' }, message: '(got "2h")' },
  { given: { 'wait-timeout': '-1' }, message: '(got "-1")' },
  { given: { 'wait-timeout': '1.5' }, message: '(got "1.5")' },
  { given: { mode: 'merged' }, message: 'input "mode" must be one of auto, compare, baseline, report, merge (got "merged"); did you mean merge?' },
  { given: { mode: 'baselines' }, message: 'input "mode" must be one of auto, compare, baseline, report, merge (got "baselines"); did you mean baseline?' },
  { given: { mode: 'Compare' }, message: '(got "Compare"); did you mean compare?' },
  { given: { 'baseline-storage': 's3' }, message: 'input "baseline-storage" must be one of auto, cache, artifact, file (got "s3")' },
  {
    given: { 'baseline-storage': 'file' },
    message: 'input "baseline-file" is required when baseline-storage is file (got nothing): give the path of the baseline JSON, like .tailgate/baseline.json',
  },
  {
    given: { 'baseline-file': 'baseline.json' },
    message: 'input "baseline-file" is used only when baseline-storage is file (baseline-storage is auto, got "baseline.json"): set baseline-storage: file, or remove baseline-file',
  },
  { given: { 'baseline-storage': 'cache', 'baseline-file': 'baseline.json' }, message: '(baseline-storage is cache, got "baseline.json")' },
  { given: { history: '0' }, message: 'input "history" must be a whole number from 1 to 100 (got "0")' },
  { given: { history: '101' }, message: 'input "history" must be a whole number from 1 to 100 (got "101")' },
  { given: { history: '2.5' }, message: '(got "2.5")' },
  { given: { history: 'ten' }, message: '(got "ten")' },
  { given: { threshold: '0' }, message: 'input "threshold" must be a percentage more than 0 and less than 100, like 10 or 10% (got "0")' },
  { given: { threshold: '100' }, message: '(got "100")' },
  { given: { threshold: '1e1' }, message: '(got "1e1")' },
  { given: { threshold: '0x10' }, message: '(got "0x10")' },
  { given: { threshold: 'ten' }, message: '(got "ten")' },
  { given: { threshold: '10%%' }, message: '(got "10%%")' },
  { given: { alpha: '0.5' }, message: 'input "alpha" must be a number more than 0 and less than 0.5, like 0.05 (got "0.5")' },
  { given: { alpha: '0' }, message: '(got "0")' },
  { given: { alpha: '5%' }, message: '(got "5%")' },
  { given: { alpha: 'NaN' }, message: '(got "NaN")' },
  { given: { 'fail-on': 'maybe' }, message: 'input "fail-on" must be one of regression, inconclusive, never (got "maybe")' },
  { given: { 'fail-on': 'regressions' }, message: '(got "regressions"); did you mean regression?' },
  { given: { comment: 'sometimes' }, message: 'input "comment" must be one of always, on-change, never (got "sometimes")' },
  { given: { comment: 'on_change' }, message: '(got "on_change"); did you mean on-change?' },
  { given: { check: 'yes' }, message: 'input "check" must be true or false (got "yes")' },
  { given: { 'baseline-reset': 'yes' }, message: 'input "baseline-reset" must be true or false (got "yes")' },
  { given: { check: '1' }, message: 'input "check" must be true or false (got "1")' },
  { given: { shard: '5/4' }, message: 'input "shard" must be i/n with 1 <= i <= n, like 2/4 (got "5/4")' },
  { given: { shard: '0/4' }, message: '(got "0/4")' },
  { given: { shard: 'half' }, message: '(got "half")' },
  { given: { shard: '2/4', mode: 'merge' }, message: 'input "shard" measures a share of the load, and mode: merge measures nothing (got "2/4"): set shard only on the matrix jobs, and mode: merge on the job after them' },
  { given: { shard: '1/2', mode: 'report' }, message: 'and mode: report measures nothing' },
  {
    given: { shard: '1/2', 'shard-start': 'in 90s' },
    message: 'input "shard-start" must be an ISO time with its zone, like 2026-12-02T12:00:00Z, or Unix seconds, like 1796212800 (got "in 90s")',
  },
  { given: { shard: '1/2', 'shard-start': '2026-12-02T12:00:00' }, message: '(got "2026-12-02T12:00:00")' },
  {
    given: { 'shard-start': '1796212800' },
    message: 'input "shard-start" starts the shards of a split load together, and this job is no shard (got "1796212800"): set shard: i/n too, or remove shard-start',
  },
  {
    given: { 'allowed-hosts': 'https://cdn.example.com' },
    message:
      'input "allowed-hosts" must list host names, host:port or *.domain, separated by commas or new lines, like preview.example.com, *.previews.example.com, 127.0.0.1:8443 (got "https://cdn.example.com")',
  },
  { given: { 'allowed-hosts': 'cdn.example.com/assets' }, message: '(got "cdn.example.com/assets")' },
  { given: { 'allowed-hosts': '*.com' }, message: '(got "*.com")' },
  { given: { 'allowed-hosts': 'a.*.example.com' }, message: '(got "a.*.example.com")' },
  { given: { 'allowed-hosts': 'ci:hunter2@example.com' }, message: '(got "***@example.com")' },
  { given: { 'target-url': 'https://ci:hunter2@preview.example.com' }, message: '(got "https://***:***@preview.example.com/")' },
  { given: { 'allowed-hosts': 'cdn.example.com:99999' }, message: '(got "cdn.example.com:99999")' },
  { given: { 'allowed-hosts': 'ok.example.com; other.example.com' }, message: '(got "ok.example.com; other.example.com")' },
  { given: { seed: 'abc' }, message: 'input "seed" must be a whole number from 0 to 4294967295, like 42 (got "abc")' },
  { given: { seed: '1.5' }, message: '(got "1.5")' },
  { given: { seed: '-1' }, message: '(got "-1")' },
  { given: { seed: '1e3' }, message: '(got "1e3")' },
  { given: { seed: '4294967296' }, message: '(got "4294967296")' },
  { given: { 'fork-verdict': 'fail', mode: 'report' }, message: 'input "fork-verdict" must be one of neutral, enforce (got "fail")' },
  { given: { 'fork-verdict': 'Enforce', mode: 'report' }, message: '(got "Enforce"); did you mean enforce?' },
  {
    given: { 'fork-verdict': 'enforce' },
    message: "input \"fork-verdict\" decides the check of a fork's report, which only mode: report posts (got enforce with mode: auto): set mode: report, or remove fork-verdict",
  },
  { given: { results: 'r.json', 'results-format': 'k7' }, message: 'input "results-format" must be one of auto, k6, k6-csv, jmeter' },
  { given: { results: 'r.json', 'results-format': 'jmetr' }, message: '(got "jmetr"); did you mean jmeter?' },
  { given: { 'results-format': 'k6' }, message: 'input "results-format" says the format of the results file, and there is no results input (got "k6"): set results to the file\'s path, or remove results-format' },
  { given: { 'results-profile': 'checkout' }, message: 'input "results-profile" names the profile of an imported results file, and there is no results input (got "checkout")' },
  { given: { results: 'r.json', 'results-profile': 'x'.repeat(201) }, message: 'input "results-profile" must be 1 to 200 characters (got 201)' },
  { given: { results: 'r.json', 'baseline-url': 'https://prod.example.com' }, message: 'input "results" imports a run another tool measured, and baseline-url asks tailgate to measure a paired run against "https://prod.example.com"' },
  { given: { results: 'r.json', shard: '1/2' }, message: 'input "results" imports a whole run another tool measured, and shard splits tailgate\'s own load over jobs (got shard "1/2"): remove shard' },
  { given: { results: 'r.json', mode: 'merge' }, message: 'input "results" imports a run to record or compare, which mode: merge does not do: use mode: auto, compare or baseline, or remove results' },
  { given: { results: 'r.json', mode: 'report' }, message: 'which mode: report does not do' },
];

describe('parseActionInputs: bad values fail at once with the input, the value and what is allowed', () => {
  it.each(bad.map((row) => [JSON.stringify(row.given), row] as const))('%s', (_, row) => {
    let error: unknown;
    try {
      parse(row.given);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(row.message);
    expect((error as InputError).message).toMatch(/^input "[a-z-]+" /);
  });

  it('names the input in a field of the error', () => {
    expect(() => parse({ 'fail-on': 'maybe' })).toThrow(expect.objectContaining({ name: 'InputError', input: 'fail-on' }));
  });
});

describe('the tables cover every input', () => {
  it.each(INPUT_NAMES)('%s has good and bad rows', (name) => {
    expect(good.some((row) => name in row.given)).toBe(true);
    // A token and a path are any non-empty text: nothing to refuse.
    if (name !== 'github-token' && name !== 'config') expect(bad.some((row) => name in row.given)).toBe(true);
  });
});
