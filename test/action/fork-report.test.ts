import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORK_REPORT_SCHEMA, parseForkReport } from '../../src/action/fork-report.js';

const comparison = JSON.parse(readFileSync(join(import.meta.dirname, '../report/comparisons/regression.json'), 'utf8')) as { profile: { id: string } };
const report = { schema: FORK_REPORT_SCHEMA, profileId: 'shop', pullRequest: 43, headSha: 'e'.repeat(40), comparison };
const ARTIFACT = 'tailgate-report-shop';

describe("a fork's report, read as untrusted data", () => {
  it('is accepted when it is exactly what a run writes', () => {
    expect(comparison.profile.id).toBe('shop');
    expect(parseForkReport(JSON.stringify(report), ARTIFACT).pullRequest).toBe(43);
  });

  it.each([
    ['another schema', { ...report, schema: 'tailgate.fork-report/v9' }, /not a tailgate fork report/],
    ['a profile id with markup', { ...report, profileId: '<img src=x>' }, /profile id is missing or malformed/],
    ['a PR number as text', { ...report, pullRequest: '43' }, /pull request number/],
    ['a short commit', { ...report, headSha: 'abc' }, /commit is missing or malformed/],
    ['no comparison', { ...report, comparison: undefined }, /comparison is missing/],
    ['a made-up conclusion', { ...report, comparison: { ...comparison, conclusion: 'approved' } }, /comparison is not one tailgate writes: conclusion must be equal to one of the allowed values/],
    ['a field it never writes', { ...report, markdown: '<b>hi</b>' }, /a field tailgate does not write \("markdown"\)/],
    ['a list instead of an object', [report], /not a tailgate fork report/],
  ])('is refused with %s', (_name, value, message) => {
    expect(() => parseForkReport(JSON.stringify(value), ARTIFACT)).toThrow(message);
  });

  it('is refused when its profile id is not the one its artifact is named for', () => {
    expect(() => parseForkReport(JSON.stringify(report), 'tailgate-report-api')).toThrow(/^artifact tailgate-report-api: its profile id is not the one the artifact is named for/);
    const other = { ...report, profileId: 'api', comparison: { ...comparison } };
    expect(() => parseForkReport(JSON.stringify(other), 'tailgate-report-api')).toThrow(/its comparison is of another profile than the report names/);
  });

  it('is refused when it is not JSON or too large', () => {
    expect(() => parseForkReport('{', ARTIFACT)).toThrow(/not valid JSON/);
    expect(() => parseForkReport(' '.repeat(6 * 2 ** 20), ARTIFACT)).toThrow(/larger than 5 MiB/);
  });
});
