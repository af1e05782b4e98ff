import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import type { Comparison } from '../../src/compare/comparison-types.js';

const load = (name: string): Comparison => JSON.parse(readFileSync(new URL(`../report/comparisons/${name}.json`, import.meta.url), 'utf8')) as Comparison;

/** A comparison with what makes lines long: a long step name, a long note, a long threshold. */
function wide(): Comparison {
  const comparison = load('regression');
  const checkout = comparison.steps.find((step) => step.name === 'checkout')!;
  checkout.name = 'POST /api/v2/organisations/{{ orgId }}/projects/{{ projectId }}/checkout';
  comparison.notes.push(`The baseline's newest run is ${'very '.repeat(30)}old.`);
  comparison.thresholds[1] = { ...comparison.thresholds[1]!, metric: `http_req_duration{step:${checkout.name}}`, location: { file: '/home/someone/projects/shop/perf/tailgate.yml', line: 31, column: 3 } };
  return comparison;
}

describe('the terminal comparison', () => {
  it.each([100, 80])('fits %i columns: prose wraps, a long step name gets a line of its own', (columns) => {
    const text = formatComparisonTable(wide(), columns);
    expect(text.split('\n').filter((line) => line.length > columns)).toEqual([]);
    const lines = text.split('\n');
    const name = lines.findIndex((line) => line === 'POST /api/v2/organisations/{{ orgId }}/projects/{{ projectId }}/checkout');
    expect(name).toBeGreaterThan(0);
    expect(lines[name + 1]).toMatch(/^\s*p95 \(blocks\)\s+193\.9 → 259\.5 ms\s+\+33\.8%\s+\+25\.2 \.\. \+39\.1%\s+REGRESSION$/);
    expect(text).toMatch(/^ {2}ok {5}http_req_duration: p\(95\)<500, observed 229\.89 ms$/m);
    expect(text.replace(/\n {9}/g, ' ')).toContain(`BROKEN http_req_duration{step:${wide().steps[2]!.name}}: p(99)<260, observed 320.51 ms (/home/someone/projects/shop/perf/tailgate.yml:31)`);
  });

  it('keeps a short name in its column, and each metric on one row', () => {
    const lines = formatComparisonTable(load('regression')).split('\n');
    expect(lines.filter((line) => line.length > 100)).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^checkout\s+p95 \(blocks\)\s+193\.9 → 259\.5 ms\s+\+33\.8%/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+whole-run p95\s+195\.3 → 260\.9 ms\s+\+33\.6%$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+throughput\s+44\.0 → 44\.0 req\/s\s+\+0\.0%\s+-0\.1 \.\. \+0\.1%\s+pass$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+error rate\s+0% → 0%\s+pass$/));
  });
});
