import { describe, expect, it } from 'vitest';
import type { StepComparison } from '../../src/compare/comparison-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { renderServerTimingTable } from '../../src/report/server-timing-table.js';
import { serverTimingCase } from './server-timing-fixtures.js';

/** The part of a comment inside the per-step fold. */
function stepFold(markdown: string): string {
  const open = markdown.indexOf('<summary>Per step:');
  return markdown.slice(open, markdown.indexOf('</details>', open));
}

describe('Server-Timing in the PR comment', () => {
  const { comparison } = serverTimingCase();

  it('folds a table of each component’s p95, baseline → this run, and the change, into its step’s section', () => {
    const markdown = renderReport(comparison);
    const fold = stepFold(markdown);
    const checkout = fold.slice(fold.indexOf('<code>checkout</code>'));
    const table = checkout.slice(checkout.indexOf('| Server-Timing, p95'));
    // The component, baseline, this run and the change (an interval may follow, where the comparison tests components).
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| <code>'))
      .map((line) => line.split(' | ').slice(0, 4).join(' | '));
    // 10 ms and 40 ms read back from the histograms (3 significant digits); db moved most, so it is first.
    expect(rows).toEqual(['| <code>db</code> | 10.0 ms | 40.0 ms | +30.0 ms (+300%)', '| <code>app</code> | 5.00 ms | 5.00 ms | ±0 ms (±0.0%)']);
    expect(table).toMatch(/not gated/);
    expect(table).toContain('This run: 3 malformed entries.');
    // Only the step that carried the header gets a table.
    expect(fold.match(/\| Server-Timing, p95/g)).toHaveLength(1);
    // The verdict line outside the folds still names the component.
    expect(markdown.slice(0, markdown.indexOf('<details>'))).toMatch(/Server-Timing: <code>db<\/code> \+30\.0 ms/);
  });

  it('escapes every component name the target sent', () => {
    const hostile = serverTimingCase({ names: { db: 'x|y', app: 'a<b>@team' } }).comparison;
    const fold = stepFold(renderReport(hostile));
    expect(fold).toContain('<code>x&#124;y</code>');
    expect(fold).toContain('<code>a&#60;b&#62;&#64;&#8203;team</code>');
    expect(fold).not.toContain('x|y');
    expect(fold).not.toContain('<b>');
  });

  it('gives no table to a step without a breakdown', () => {
    const plain = comparison.steps.find((s) => s.name === 'list') as StepComparison;
    expect(plain.serverTiming).toBeUndefined();
    expect(renderServerTimingTable(plain)).toBe('');
  });

  it('shows new and gone components, and an interval and a verdict when a comparison carries them', () => {
    const step = {
      name: 'a',
      kind: 'step',
      serverTiming: {
        malformed: 0,
        dropped: 2,
        components: [
          {
            name: 'db',
            currentP95Ms: 42,
            baselineP95Ms: 12,
            changeMs: 30,
            changePct: 250,
            baselineRuns: 3,
            interval: { changeMs: 28, ci: { lowMs: 20, highMs: 41 }, gated: true, allowedPct: 20, verdict: 'regression' },
          },
          { name: 'fresh', currentP95Ms: 3, baselineP95Ms: null, changeMs: null, changePct: null, baselineRuns: 0 },
          { name: 'old', currentP95Ms: null, baselineP95Ms: 1, changeMs: null, changePct: null, baselineRuns: 1, interval: { ci: { lowMs: 'x', highMs: 2 }, gated: true, verdict: 'bogus' } },
        ],
      },
    } as unknown as StepComparison;
    const table = renderServerTimingTable(step).split('\n');
    expect(table[0]).toBe('| Server-Timing, p95 | Baseline | This run | Change | CI | Allowed |  |');
    expect(table.slice(2, 5)).toEqual([
      '| <code>db</code> | 12.0 ms | 42.0 ms | +30.0 ms (+250%) | +20.0 ms … +41.0 ms | +20% | ❌ |',
      '| <code>fresh</code> | – | 3.00 ms | new |  |  |  |',
      '| <code>old</code> | 1.00 ms | – | gone |  |  |  |',
    ]);
    expect(table.join('\n')).not.toContain('not gated');
    expect(table.join('\n')).toContain('This run: 2 dropped (beyond the first 20 names).');
  });

  it('prints a number only when it is one', () => {
    const step = { name: 'a', kind: 'step', serverTiming: { malformed: '5', dropped: 0, components: [{ name: 'db', currentP95Ms: '42', baselineP95Ms: 12, changeMs: Number.NaN, changePct: null, baselineRuns: 1 }] } } as unknown as StepComparison;
    const table = renderServerTimingTable(step);
    expect(table).toContain('| <code>db</code> | 12.0 ms | ? ms | ? |');
    expect(table).not.toContain('malformed');
  });
});
