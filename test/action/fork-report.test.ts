import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORK_REPORT_SCHEMA, parseForkReport } from '../../src/action/fork-report.js';

const comparison = JSON.parse(readFileSync(join(import.meta.dirname, '../report/comparisons/regression.json'), 'utf8')) as unknown;
const report = { schema: FORK_REPORT_SCHEMA, profileId: 'shop', pullRequest: 43, headSha: 'e'.repeat(40), comparison };

describe("a fork's report, read as untrusted data", () => {
  it('is accepted when it is exactly what a run writes', () => {
    expect(parseForkReport(JSON.stringify(report), 'artifact').pullRequest).toBe(43);
  });

  it.each([
    ['another schema', { ...report, schema: 'tailgate.fork-report/v9' }, /not a tailgate fork report/],
    ['a profile id with markup', { ...report, profileId: '<img src=x>' }, /profile id is missing or malformed/],
    ['a PR number as text', { ...report, pullRequest: '43' }, /pull request number/],
    ['a short commit', { ...report, headSha: 'abc' }, /commit is missing or malformed/],
    ['no comparison', { ...report, comparison: undefined }, /comparison is missing/],
    ['a made-up conclusion', { ...report, comparison: { ...(comparison as object), conclusion: 'approved' } }, /conclusion/],
  ])('is refused with %s', (_name, value, message) => {
    expect(() => parseForkReport(JSON.stringify(value), 'artifact tailgate-report-shop')).toThrow(message);
  });

  it('is refused when it is not JSON or too large', () => {
    expect(() => parseForkReport('{', 'a')).toThrow(/not valid JSON/);
    expect(() => parseForkReport(' '.repeat(6 * 2 ** 20), 'a')).toThrow(/larger than 5 MiB/);
  });
});
