import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem, MAX_COMPARISON_STEPS } from '../../src/compare/comparison-schema.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { syntheticRun } from './record-builder.js';

/** The comparison's schema accepts every comparison tailgate writes, and refuses what it never writes. */
const fixtures = new URL('../report/comparisons/', import.meta.url);
const load = (name: string): Comparison => JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')) as Comparison;
const regression = load('regression');

/** The fixture with one change made at a path. */
function edited(edit: (c: Record<string, any>) => void, base: Comparison = regression): unknown {
  const copy = structuredClone(base) as unknown as Record<string, any>;
  edit(copy);
  return copy;
}

describe('comparisonProblem', () => {
  it.each(readdirSync(fixtures).filter((f) => f.endsWith('.json')))('accepts the fixture %s', (file) => {
    expect(comparisonProblem(JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')))).toBeUndefined();
  });

  it('accepts what compareRuns writes, names with markup included (the renderer escapes them)', () => {
    const steps = { 'GET /a|b <x>': { blocks: 6 }, checkout: { blocks: 6 } };
    const baselines = [1, 2, 3].map((i) => syntheticRun(i, steps, { sequence: i }));
    const comparison = compareRuns({ baselines, current: syntheticRun(9, steps, { sequence: 9 }) });
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  });

  const many = Array.from({ length: MAX_COMPARISON_STEPS + 1 }, () => regression.steps[1]);
  it.each<[string, unknown, RegExp]>([
    ['text where alpha belongs', edited((c) => (c.settings.alpha = '0.05 @octocat <img src=x> [Approve and merge](https://x) <!-- tailgate:profile=api -->')), /^settings\.alpha must be number$/],
    ['an alpha out of range', edited((c) => (c.settings.alpha = 0.7)), /^settings\.alpha must be < 0\.5$/],
    ['NaN', edited((c) => (c.settings.noiseFloorPct = Number.NaN)), /^settings\.noiseFloorPct must be number$/],
    ['Infinity in a block', edited((c) => (c.steps[0].p95ByBlockMs.current[0] = Number.POSITIVE_INFINITY)), /^steps\[0\]\.p95ByBlockMs\.current\[0\] must be number$/],
    ['a count of corrected tests as text', edited((c) => (c.settings.correctedTests = '6 <b>')), /^settings\.correctedTests must be integer$/],
    ['pairs as text', edited((c) => (c.pairing.pairs = '12 @octocat'), load('paired')), /^pairing\.pairs must be integer$/],
    ['settle seconds as text', edited((c) => (c.pairing.settleSeconds = '<img>'), load('paired')), /^pairing\.settleSeconds must be number$/],
    ['an order tailgate never uses', edited((c) => (c.pairing.order = 'zigzag'), load('paired')), /^pairing\.order must be equal to one of the allowed values$/],
    ['a noise count as text', edited((c) => (c.steps[0].p95.noise.historyRuns = '3 <img>')), /^steps\[0\]\.p95\.noise\.historyRuns must be integer$/],
    ['a verdict tailgate never gives', edited((c) => (c.verdict = 'approved')), /^verdict must be equal to one of the allowed values$/],
    ['a throughput in the p95 slot', edited((c) => (c.steps[0].p95.metric = 'throughput')), /^steps\[0\]\.p95\.metric must be equal to constant$/],
    ['too many steps', edited((c) => (c.steps = [c.steps[0], ...many])), /^steps holds more than 201 entries$/],
    ['a note longer than 2,000 characters', edited((c) => (c.notes = ['x'.repeat(2001)])), /^notes\[0\] is longer than 2000 characters$/],
    ['a field tailgate never writes', edited((c) => (c.settings.markdown = '<b>')), /^settings has a field tailgate does not write \("markdown"\)$/],
    ['a missing history', edited((c) => delete c.history), /^the comparison has no history$/],
    ['a profile id with markup', edited((c) => (c.profile.id = 'api <!-- x -->')), /^profile\.id must match pattern/],
    ['a step named __proto__', edited((c) => (c.steps[1].name = '__proto__')), /^steps\[1\]\.name must NOT be valid$/],
    ['an observed value as text', edited((c) => (c.thresholds[0].observed = '229 ms')), /^thresholds\[0\]\.observed must be number$/],
    ['a start that is not a date', edited((c) => (c.current.startedAt = 'yesterday <b>')), /^current\.startedAt must match pattern/],
    ['no steps at all', edited((c) => (c.steps = [])), /^steps must NOT have fewer than 1 items$/],
    ['not an object', 'a comparison', /^the comparison must be object$/],
  ])('refuses %s', (_name, data, message) => {
    expect(comparisonProblem(data)).toMatch(message);
  });
});
