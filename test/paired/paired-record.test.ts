import { describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { RecordError } from '../../src/record/record-error.js';
import { escapeText } from '../../src/report/escape.js';
import { renderReport } from '../../src/report/render-report.js';
import { DEFAULT_PAIRING } from '../../src/plan/paired-schedule.js';
import { syntheticPairedRun } from '../../src/validate/paired-synthetic.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom } from '../../src/validate/synthetic-runs.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';

describe('tailgate.paired/v1', () => {
  it('round-trips: what is written reads back and compares the same', () => {
    const paired = syntheticPaired({ seed: 3, headScale: 1.3 });
    const text = JSON.stringify(paired);
    const read = parsePairedRecord(text, 'paired.json');
    expect(read.order).toEqual(paired.order);
    expect(read.meta).toEqual(paired.meta);
    expect(read.head.steps.list?.requests).toBe(paired.head.steps.list?.requests);
    expect(JSON.stringify(comparePaired({ paired: read }))).toBe(JSON.stringify(comparePaired({ paired })));
  });

  const damaged: Array<[string, (r: Record<string, unknown>) => void, RegExp]> = [
    ['a newer format', (r) => (r.schema = 'tailgate.paired/v2'), /newer than this tailgate reads/],
    ['a run record', (r) => (r.schema = 'tailgate.run/v1'), /not a paired record/],
    ['no pairing', (r) => (r.meta = {}), /meta\.pairing is missing/],
    ['an unknown order kind', (r) => ((r.meta as { pairing: Record<string, unknown> }).pairing.order = 'zigzag'), /meta\.pairing\.order/],
    ['a settle as long as the block', (r) => ((r.meta as { pairing: Record<string, unknown> }).pairing.settleMs = 1000), /settleMs must be shorter/],
    ['an arm that is not head or base', (r) => ((r.order as string[])[3] = 'other'), /order must be a list/],
    ['a missing arm', (r) => delete r.base, /base is missing/],
    ['a damaged histogram in the head', (r) => (((r.head as { overall: { histogram: string } }).overall.histogram = 'not-a-histogram')), /\(head\).*histogram/],
    ['arms of different profiles', (r) => (((r.base as { meta: { profile: { hash: string } } }).meta.profile.hash = 'ffffffffffffffffffffffffffffffff')), /different profiles/],
    ['fewer blocks than the order says', (r) => ((r.order as string[]).push('head', 'base')), /paired blocks of 1000 ms make/],
  ];
  for (const [what, damage, message] of damaged) {
    it(`refuses ${what} with a RecordError naming the file`, () => {
      const record = JSON.parse(JSON.stringify(syntheticPaired({ seed: 5 }))) as Record<string, unknown>;
      damage(record);
      let error: unknown;
      try {
        parsePairedRecord(JSON.stringify(record), 'paired.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RecordError);
      expect((error as RecordError).message).toMatch(/^paired\.json/);
      expect((error as RecordError).message).toMatch(message);
    });
  }
  it('refuses what is not JSON', () => {
    expect(() => parsePairedRecord('{"schema": "tailgate.paired/v1", ', 'paired.json')).toThrow(RecordError);
  });
});

describe('comparePaired', () => {
  it('calls a 30% slower head a regression, says what it was paired with, and renders it', () => {
    const comparison = comparePaired({ paired: syntheticPaired({ seed: 11, headScale: 1.3 }) });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.conclusion).toBe('failure');
    expect(comparison.pairing).toEqual({ baselineTarget: 'http://127.0.0.1:3000', pairs: 12, blockSeconds: 1, settleSeconds: 0, order: 'abba' });
    const p95 = comparison.steps.find((s) => s.name === 'list')?.p95;
    expect(p95?.change).toBeGreaterThan(20);
    expect(p95?.change).toBeLessThan(40);
    expect(p95?.noise?.betweenRunsSource).toBe('none');
    expect(comparison.notes[0]).toMatch(/^Paired with http:\/\/127\.0\.0\.1:3000: .* 12 block pairs/);
    const markdown = renderReport(comparison);
    // The URL is escaped (no autolink), so only its host is matched here.
    expect(markdown).toMatch(/Paired with http.*127\.0\.0\.1:3000 · 12 block pairs of 1 s · could detect a p95 change of \d+(\.\d)?% or more/);
    // The method says how a paired run was judged, not how stored baselines are.
    expect(markdown).toMatch(/Head and base were measured in the same job/);
    expect(markdown).toMatch(/Base: http.*, measured in the same job in 12 block pairs/);
    expect(markdown).not.toMatch(/noise floor|from the default branch/);
  });

  it('passes equal targets despite a shared drift of 10% that a stored baseline could not see past', () => {
    const comparison = comparePaired({ paired: syntheticPaired({ seed: 12, sharedDrift: 0.1 }) });
    expect(comparison.verdict).toBe('pass');
  });

  it('checks thresholds on the head', () => {
    const comparison = comparePaired({
      paired: syntheticPaired({ seed: 13, headScale: 1.3 }),
      thresholds: [{ metric: 'http_req_duration', expressions: ['p(95)<40'] }].map(parseThreshold),
    });
    expect(comparison.thresholds[0]?.status).toBe('broken');
  });

  it('takes thresholds only as the profile loader parsed them (tsc holds this)', () => {
    const written = { metric: 'http_req_duration', expressions: ['p(95)<40'] };
    // @ts-expect-error a threshold as written, unparsed, is not a ProfileThreshold: parsing is config's, once
    const unparsed = (): unknown => comparePaired({ paired: syntheticPaired({ seed: 13 }), thresholds: [written] });
    expect(unparsed).toBeTypeOf('function');
  });

  it('calls a head that slows as it runs a regression, and reports its trend as a finding of its own', () => {
    // The head's blocks grow 8% slower each: from the base's speed to about 1.9 times it.
    const comparison = comparePaired({ paired: syntheticPaired({ seed: 14, trend: 0.08 }) });
    expect(comparison.verdict).toBe('regression');
    const p95 = comparison.steps.find((s) => s.name === 'list')?.p95;
    expect(p95?.verdict).toBe('regression');
    expect(p95?.trend?.finding).toBe('trend');
    expect(p95?.trend?.changeOverRun).toBeGreaterThan(40);
    expect(p95?.trend?.slopePValue).toBeLessThan(0.01);
    expect(comparison.notes.some((n) => /drifted apart.*never turns a regression into anything else/.test(n))).toBe(true);
    // In the JSON (typed numbers) and in the report's headline, beside the regression.
    expect(JSON.parse(JSON.stringify(comparison)).steps[1].p95.trend).toEqual(p95?.trend);
    const headline = renderReport(comparison).split('\n').find((line) => line.startsWith('📈')) ?? '';
    expect(headline).toMatch(/^📈 Trend during the run: p95 of <code>list<\/code> of head moved \+\d+(\.\d)?% against base's from the first block pair to the last \(p = [\d.e-]+\)/);
  });

  it('keeps a drifting head from passing: inconclusive, with the trend as the reason', () => {
    // From 14% faster than the base to about 14% slower: on average about equal, but not the same service at the end.
    const comparison = comparePaired({ paired: syntheticPaired({ seed: 16, headScale: 0.86, trend: 0.025 }) });
    const p95 = comparison.steps.find((s) => s.name === 'list')?.p95;
    expect(Math.abs(p95?.change as number)).toBeLessThan(10);
    expect(p95?.trend?.finding).toBe('trend');
    expect(p95?.verdict).toBe('inconclusive');
    expect(p95?.reason).toMatch(/trended by .* so it cannot pass/);
    expect(comparison.verdict).toBe('inconclusive');
  });

  it('reports no trend for a head that holds its speed', () => {
    const comparison = comparePaired({ paired: syntheticPaired({ seed: 17, headScale: 1.3 }) });
    const p95 = comparison.steps.find((s) => s.name === 'list')?.p95;
    expect(p95?.trend?.finding).toBe('none');
    expect(renderReport(comparison)).not.toMatch(/📈/);
  });

  it('catches a synthetic head whose slowdown ramps from +0% to +100% over a 60 s run', () => {
    const quiet = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60, burstChance: 0 };
    const paired = syntheticPairedRun({ model: quiet, pairing: DEFAULT_PAIRING, random: seededRandom(21), sequence: 0, regression: { factor: 2, ramp: true } });
    const comparison = comparePaired({ paired });
    expect(comparison.verdict).toBe('regression');
    const overall = comparison.steps[0]?.p95;
    // The mean of a ramp to +100% is about +50%; the line climbs by about +100% from the first pair to the last.
    expect(overall?.change).toBeGreaterThan(25);
    expect(overall?.change).toBeLessThan(75);
    expect(overall?.trend?.changeOverRun).toBeGreaterThan(50);
  });

  it('says why a step too sparse for a block p95 is not tested, and what would test it (a longer run would not)', () => {
    // 60 s of the synthetic model: "checkout" gets 10 requests a second, about 10 in each 1 s block.
    const paired = syntheticPairedRun({ model: { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60 }, pairing: DEFAULT_PAIRING, random: seededRandom(4), sequence: 0 });
    const sentence = /its paired blocks of 1 s held about \d+ latencies each, fewer than the 20 a block's p95 needs \(\d+ of 23 block pairs had them in both blocks\), so its p95 is not tested on its own; its requests still count in all steps\. A longer run adds block pairs, not latencies per block: about 20 requests a second to it, or paired blocks measuring (2|2\.5) s or more \(tailgate run --pair-block (2\.5|3)s\) would test it/;
    const comparison = comparePaired({ paired });
    const checkout = comparison.steps.find((s) => s.name === 'checkout');
    expect(checkout?.p95.verdict).toBe('inconclusive');
    expect(checkout?.p95.gated).toBe(false);
    expect(checkout?.p95.reason).toMatch(sentence);
    // The busier steps are tested as they were.
    expect(comparison.steps.find((s) => s.name === 'list')?.p95.ci).not.toBeNull();
    expect(renderReport(comparison)).toContain(`p95: ${escapeText(checkout?.p95.reason as string)}.`);

    // Named in regression.steps it holds up the verdict, and the headline gives the same reason, not "a longer run".
    const named = comparePaired({ paired, options: { steps: ['checkout'] } });
    expect(named.verdict).toBe('inconclusive');
    const headline = renderReport(named).split('\n').find((line) => line.includes('could not be tested')) ?? '';
    expect(headline).toMatch(/could not be tested: its paired blocks of 1 s held about \d+ latencies each/);
    expect(headline).not.toMatch(/A longer run, or more requests per second to it, would give it enough/);
  });

  it('is inconclusive when the generator was the bottleneck', () => {
    const paired = syntheticPaired({ seed: 15, headScale: 1.3 });
    const invalid = { ...paired, head: { ...paired.head, generator: { ...paired.head.generator, valid: false, reasons: ['event loop lag'] } } };
    expect(comparePaired({ paired: invalid }).verdict).toBe('inconclusive');
  });
});
