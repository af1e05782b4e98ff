import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { renderReport } from '../../src/report/render-report.js';

/**
 * Renderers print only typed values: a comparison whose number fields hold text (as a crafted one
 * from outside could, were it not validated first) renders with `?` where each number was, and
 * nothing of the text reaches the markdown, raw or escaped.
 */
const load = (name: string): Comparison => JSON.parse(readFileSync(new URL(`./comparisons/${name}.json`, import.meta.url), 'utf8')) as Comparison;

const PAYLOAD = '0.05 @octocat <img src=x onerror=alert(1)> [Approve and merge](https://evil.example/merge) <!-- tailgate:profile=api -->';
const PIECES = ['octocat', '<img', 'img src', 'Approve and merge', 'evil.example', '<!--', 'tailgate:profile=api', 'profile=api'];

/** Every number of `value`, at any depth, replaced by the payload. */
function numbersAsText(value: unknown): unknown {
  if (typeof value === 'number') return PAYLOAD;
  if (Array.isArray(value)) return value.map(numbersAsText);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, numbersAsText(field)]));
  return value;
}

/** A comparison with every optional number present: bursts, block lengths, an aborted run, pairing. */
function withEveryNumber(comparison: Comparison): Comparison {
  const copy = structuredClone(comparison);
  for (const step of copy.steps) {
    for (const metric of [step.p95, step.throughput, step.errorRate]) {
      if (metric.noise) Object.assign(metric.noise, { burstSeconds: 3, blockSeconds: 2, assumedNoise: 0.08, burstBlocks: 1 });
    }
  }
  copy.thresholds.push({ metric: 'http_req_duration', expression: 'p(99)<800', step: null, status: 'broken', observed: 900, unit: 'ms', abortedRun: { atMs: 4000, observed: 950 } });
  return copy;
}

describe('a comparison with text in its number fields, given straight to the renderer', () => {
  it.each(['regression', 'paired', 'inconclusive', 'threshold-broken', 'improvement', 'first-run'])('%s: no number field reaches the markdown as it came', (name) => {
    const crafted = numbersAsText(withEveryNumber(load(name))) as Comparison;
    expect(crafted.settings.alpha).toBe(PAYLOAD);
    const markdown = renderReport(crafted, { now: new Date('2026-01-03T00:00:00Z'), runUrl: 'https://github.com/acme/shop/actions/runs/1' });
    for (const piece of PIECES) expect(markdown, piece).not.toContain(piece);
    expect(markdown).toContain('α = ?');
    expect(markdown).toContain('### ');
  });

  it('prints the same numbers as typed values when they are numbers', () => {
    const markdown = renderReport(withEveryNumber(load('paired')));
    expect(markdown).toContain('α = 0.05');
    expect(markdown).toContain('12 block pairs of 1 s');
    expect(markdown).not.toMatch(/\bNaN\b|undefined/);
  });
});
