import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseForkReport } from '../../src/action/fork-report.js';
import { RecordError } from '../../src/record/record-error.js';

/** A fork's report is untrusted: one the trusted workflow cannot render is refused, not a stack. */

const dir = join(import.meta.dirname, '../report/comparisons');
const comparison = JSON.parse(readFileSync(join(dir, 'regression.json'), 'utf8')) as Record<string, unknown>;

function report(edit: Record<string, unknown>): string {
  return JSON.stringify({ schema: 'tailgate.fork-report/v1', profileId: 'shop', pullRequest: 7, headSha: 'a'.repeat(40), comparison: { ...comparison, ...edit } });
}

describe('crafted fork reports', () => {
  it.each([
    ['a step that is an empty object', { steps: [{}] }],
    ['a step that is a number', { steps: [5] }],
    ['notes that are not text', { notes: [5, {}] }],
    ['a threshold that is an empty object', { thresholds: [{}] }],
    ['no history', { history: null }],
    ['no current run', { current: null }],
    ['a verdict tailgate never gives', { verdict: 'great' }],
    ['an alpha that is markdown', { settings: { ...(comparison.settings as object), alpha: '0.05 @octocat <img src=x> [Approve and merge](https://x) <!-- tailgate:profile=api -->' } }],
    ['a noise floor that is markdown', { settings: { ...(comparison.settings as object), noiseFloorPct: '<img src=x>' } }],
    ['1,800 steps', { steps: Array.from({ length: 1800 }, () => (comparison.steps as unknown[])[1]) }],
  ])('refuses %s with a RecordError', (_name, edit) => {
    expect(() => parseForkReport(report(edit), 'tailgate-report-shop')).toThrow(RecordError);
    expect(() => parseForkReport(report(edit), 'tailgate-report-shop')).toThrow(/^artifact tailgate-report-shop: /);
  });

  it('reads a whole one', () => {
    expect(parseForkReport(report({}), 'tailgate-report-shop').pullRequest).toBe(7);
  });
});
