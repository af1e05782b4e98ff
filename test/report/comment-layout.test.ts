import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { baselineAgePhrase, staleBaselineWarning } from '../../src/report/baseline-age.js';
import { renderReport } from '../../src/report/render-report.js';
import { threeStepRecords } from './three-steps-case.js';

/**
 * The comment's layout (DESIGN.md "Reporting"): the verdict, one table with a row per step, the
 * baseline's trend and age, and the rest folded; at most 30 lines outside `<details>` for three
 * steps. The comparisons are fixed (test/compare/fixtures.test.ts writes them), so these
 * snapshots change with the renderer, not with the statistics.
 */

/** What a reader sees with every fold closed: the lines outside `<details>`, and each fold's summary. */
function linesOutsideFolds(markdown: string): string[] {
  const visible: string[] = [];
  let depth = 0;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('<details>')) depth++;
    else if (line.startsWith('</details>')) depth--;
    else if (depth === 0 || (depth === 1 && line.startsWith('<summary>'))) visible.push(line);
  }
  return visible;
}

const load = (name: string): Comparison => JSON.parse(readFileSync(new URL(`./comparisons/${name}.json`, import.meta.url), 'utf8')) as Comparison;

// Three steps (list, detail, checkout) against 5 baseline runs, checkout 30% slower. The baseline
// runs start on 2026-01-01, an hour apart: the newest at 04:00, commit 4b1c2d3.
const three = load('three-steps');
const records = threeStepRecords();
const DAY_AFTER = new Date('2026-01-02T04:00:00Z');
const RUN_URL = 'https://github.com/acme/shop/actions/runs/9100';

describe('the comment for three steps', () => {
  const comment = renderReport(three, { records, now: DAY_AFTER, runUrl: RUN_URL });

  it('matches its snapshot', async () => {
    await expect(comment).toMatchFileSnapshot('./__snapshots__/three-steps.md');
  });

  it('has at most 30 lines outside folded sections, blank lines and fold summaries counted', () => {
    const visible = linesOutsideFolds(comment);
    expect(visible.length).toBeLessThanOrEqual(30);
    // Everything else is folded, so the comment is much longer than what shows.
    expect(comment.split('\n').length).toBeGreaterThan(2 * visible.length);
  });

  it('starts with the verdict and what failed, by how much, then one table with a row per step', () => {
    const lines = comment.split('\n');
    expect(lines[0]).toBe('### ❌ tailgate: shop');
    expect(lines[2]).toMatch(/^❌ p95 of <code>checkout<\/code> is \d+% slower \(CI \+[\d.]+% … \+[\d.]+%\), beyond the 10% allowed\./);
    const visible = linesOutsideFolds(comment);
    const rows = visible.filter((line) => line.startsWith('| ') && !line.startsWith('| Step '));
    expect(rows.map((row) => row.split(' | ')[0])).toEqual(['| **All steps**', '| <code>list</code>', '| <code>detail</code>', '| <code>checkout</code>']);
    expect(visible.filter((line) => line.startsWith('| Step '))).toEqual(['| Step | p95 (blocks), baseline → now | Change | Interval | Whole-run p95 | Throughput | Error rate | |']);
    expect(rows.find((row) => row.includes('checkout'))).toMatch(/\| \*\*\+\d+(\.\d)?%\*\* \| \+[\d.]+% … \+[\d.]+% \| .* \| ❌ \|$/);
  });

  it('folds the per-step tables and block sparklines, the thresholds, the method, the noise and the charts', () => {
    const visible = linesOutsideFolds(comment).filter((line) => !line.startsWith('<summary>')).join('\n');
    for (const folded of ['#### ', '```text', '| p50 |', 'A metric fails the gate only', 'standard error', 'xychart-beta', '| Metric | Threshold |']) expect(visible).not.toContain(folded);
    expect(comment).toContain('#### ❌ <code>checkout</code>');
    expect(comment).toContain('<summary>Thresholds: 2 met, 1 broken</summary>');
    expect(comment).toContain('<summary>How this was decided</summary>');
    expect(comment).toContain('<summary>Charts: p95 per block</summary>');
  });

  it('shows the p95 trend of the baseline runs, oldest first, then this run, and the baseline’s age', () => {
    const trend = linesOutsideFolds(comment).find((line) => line.startsWith('p95 of all steps'));
    expect(trend).toMatch(/^p95 of all steps in the 5 baseline runs \(oldest first\), then this run: <code>[▁▂▃▄▅▆▇█]{5} [▁▂▃▄▅▆▇█]<\/code> \(▁ [\d.]+ ms … █ [\d.]+ ms\)<br>$/);
    expect(comment).toContain('<sub>Compared with 5 baseline runs, the newest recorded 1 day ago at <code>4b1c2d3</code> · 60 s measured');
    expect(comment).not.toContain('The baseline is');
  });

  it('the trend shows only the baseline runs the comparison used', () => {
    const stranger = { ...records.current, meta: { ...records.current.meta, startedAt: '2025-06-01T00:00:00.000Z', runId: 'other' } };
    const again = renderReport(three, { records: { ...records, baselines: [stranger, ...records.baselines] }, now: DAY_AFTER, runUrl: RUN_URL });
    expect(again).toBe(comment);
  });

  it('without records there is no trend line, and without a clock the age is a date', () => {
    const bare = renderReport(three);
    expect(bare).not.toContain('p95 of all steps in the');
    expect(bare).toContain('<sub>Compared with 5 baseline runs, the newest recorded on 2026-01-01 04:00 UTC at <code>4b1c2d3</code> · 60 s measured');
    expect(linesOutsideFolds(bare).length).toBeLessThan(linesOutsideFolds(comment).length);
  });
});

describe('an old baseline', () => {
  it('gets a warning line outside the folds: how old, and how to refresh it', async () => {
    const comment = renderReport(three, { records, now: new Date('2026-01-17T04:00:00Z') });
    const warning = linesOutsideFolds(comment).filter((line) => line.startsWith('⚠️ The baseline is'));
    expect(warning).toEqual([
      '⚠️ The baseline is 16 days old: its newest run was recorded on 2026-01-01 04:00 UTC at <code>4b1c2d3</code>, so this branch may be compared with code long since changed. A push to the default branch records a new baseline run.',
    ]);
    expect(linesOutsideFolds(comment).length).toBeLessThanOrEqual(30);
    await expect(comment).toMatchFileSnapshot('./__snapshots__/old-baseline.md');
  });

  it('warns past 14 days, not at 14', () => {
    const run = { startedAt: '2026-01-01T00:00:00.000Z', commit: 'abc1234def' };
    expect(staleBaselineWarning(run, new Date('2026-01-15T23:59:00Z'))).toBe('');
    expect(staleBaselineWarning(run, new Date('2026-01-16T00:00:00Z'))).toMatch(/^⚠️ The baseline is 15 days old: its newest run was recorded on 2026-01-01 00:00 UTC at <code>abc1234<\/code>/);
    expect(staleBaselineWarning(run, undefined)).toBe('');
    expect(staleBaselineWarning(undefined, new Date('2027-01-01T00:00:00Z'))).toBe('');
  });

  it('says how long ago a baseline run was recorded, in the unit that fits', () => {
    const run = { startedAt: '2026-01-01T00:00:00.000Z', commit: 'abc1234def' };
    const at = (iso: string): string => baselineAgePhrase(run, new Date(iso));
    expect(at('2026-01-01T00:00:30Z')).toBe('recorded just now at <code>abc1234</code>');
    expect(at('2026-01-01T00:01:00Z')).toBe('recorded 1 minute ago at <code>abc1234</code>');
    expect(at('2026-01-01T05:59:00Z')).toBe('recorded 5 hours ago at <code>abc1234</code>');
    expect(at('2026-01-04T01:00:00Z')).toBe('recorded 3 days ago at <code>abc1234</code>');
    expect(baselineAgePhrase({ startedAt: 'not a date' }, new Date())).toBe('recorded on not a date UTC');
  });
});

describe('a paired comparison', () => {
  const comparison = load('paired');
  const comment = renderReport(comparison, { now: new Date('2027-06-01T00:00:00Z') });

  it('matches its snapshot', async () => {
    await expect(comment).toMatchFileSnapshot('./__snapshots__/paired.md');
  });

  it('names the base it was paired with and has neither trend nor age: the base was measured in the same job', () => {
    expect(comparison.verdict).toBe('regression');
    expect(comment).toMatch(/<sub>Paired with http.*127\.0\.0\.1:3000 · 12 block pairs of 1 s · could detect/);
    expect(comment).toContain('| Step | p95 (blocks), base → now |');
    expect(comment).not.toMatch(/recorded|The baseline is|p95 of all steps in the/);
    expect(linesOutsideFolds(comment).length).toBeLessThanOrEqual(30);
  });
});

describe('a fork\'s report', () => {
  // mode: report renders the comparison the fork's run uploaded; the records stay behind, so it
  // has the baseline's age but no trend line.
  const comment = renderReport(three, { now: DAY_AFTER, runUrl: RUN_URL });

  it('matches its snapshot', async () => {
    await expect(comment).toMatchFileSnapshot('./__snapshots__/fork.md');
  });

  it('keeps the layout: the verdict, the table, the age, at most 30 lines outside the folds', () => {
    expect(comment).toContain('the newest recorded 1 day ago at <code>4b1c2d3</code>');
    expect(comment).not.toContain('p95 of all steps in the');
    expect(linesOutsideFolds(comment).filter((line) => line.startsWith('| <code>'))).toHaveLength(3);
    expect(linesOutsideFolds(comment).length).toBeLessThanOrEqual(30);
  });
});
