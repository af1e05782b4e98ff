import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as hdr from 'hdr-histogram-js';
import { countsOf, createHistogram, createWriteHistogram, decodeHistogram, encodeHistogram, maxMs, meanMs, percentileMs, recordMicros } from '../../src/record/histogram.js';
import { addCounts, countsFromIndexes, decodeCounts, encodeCounts, HistogramFormatError, indexOfMicros, maxOfCounts, meanOfCounts, minOfCounts, percentileOfCounts } from '../../src/record/latency-counts.js';
import { seededRandom } from '../compare/seeded-random.js';

/** Histograms as the recorder writes them, from seeded latencies of very different shapes. */
function sampleHistogram(seed: number): ReturnType<typeof createHistogram> {
  const random = seededRandom(seed);
  const histogram = createHistogram();
  const n = Math.floor(random.next() * 3000);
  const median = 10 ** (1 + random.next() * 6); // 10 µs to 10 s
  for (let i = 0; i < n; i++) recordMicros(histogram, median * Math.exp(1.5 * random.normal()));
  return histogram;
}

describe('decodeCounts', () => {
  it('answers every percentile, the max, min and mean exactly as the library does', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const encoded = encodeHistogram(sampleHistogram(seed));
      const library = decodeHistogram(encoded);
      const counts = decodeCounts(encoded);
      expect(counts.total).toBe(library.totalCount);
      for (const p of [0.1, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100]) expect(percentileOfCounts(counts, p)).toBe(percentileMs(library, p));
      expect(maxOfCounts(counts)).toBe(maxMs(library));
      expect(meanOfCounts(counts)).toBeCloseTo(meanMs(library), 9);
      if (library.totalCount > 0) expect(minOfCounts(counts)).toBe(library.minNonZeroValue / 1000);
    }
  });

  it('adds histograms exactly, as the library does', () => {
    const parts = [3, 4, 5].map(sampleHistogram);
    const merged = createHistogram();
    for (const part of parts) merged.add(part);
    const sum = addCounts(parts.map((p) => decodeCounts(encodeHistogram(p))));
    expect(sum.total).toBe(merged.totalCount);
    for (const p of [50, 95, 99]) expect(percentileOfCounts(sum, p)).toBe(percentileMs(merged, p));
  });

  it('reads an empty histogram as empty', () => {
    const counts = decodeCounts(encodeHistogram(createHistogram()));
    expect(counts.total).toBe(0);
    expect(percentileOfCounts(counts, 95)).toBe(0);
  });

  /** A compressed V2 histogram around a payload, with the header fields given. */
  function craft(payload: Buffer, header: { digits?: number; lowest?: bigint; highest?: bigint } = {}): string {
    const inner = Buffer.alloc(40);
    inner.writeInt32BE(0x1c849313, 0);
    inner.writeInt32BE(payload.length, 4);
    inner.writeInt32BE(1, 8);
    inner.writeInt32BE(header.digits ?? 3, 12);
    inner.writeBigInt64BE(header.lowest ?? 1n, 16);
    inner.writeBigInt64BE(header.highest ?? 3_600_000_000n, 24);
    inner.writeBigInt64BE(1n, 32);
    const compressed = deflateSync(Buffer.concat([inner, payload]));
    const outer = Buffer.alloc(8);
    outer.writeInt32BE(0x1c849314, 0);
    outer.writeInt32BE(compressed.length, 4);
    return Buffer.concat([outer, compressed]).toString('base64');
  }

  const refused: Array<[string, () => string, RegExp]> = [
    ['not base64 of a histogram', () => 'aGVsbG8gd29ybGQ=', /not a compressed HdrHistogram/],
    ['a zip bomb (64 MB of zeros in a few KB)', () => craft(Buffer.alloc(64 * 1024 * 1024)), /inflates beyond/],
    ['an absurd range with 5 digits', () => craft(Buffer.from([2]), { digits: 5, highest: 2n ** 62n }), /parameters .* 5 digits/],
    ['a count beyond the range', () => craft(Buffer.from([0xff, 0xff, 0xff, 0x0f, 2])), /beyond the histogram range/],
    ['a count cut off', () => craft(Buffer.from([0x80])), /cut off/],
    ['corrupt compressed data', () => Buffer.concat([Buffer.from([0x1c, 0x84, 0x93, 0x14, 0, 0, 0, 4]), Buffer.from('abcd')]).toString('base64'), /corrupt/],
    ['a string longer than any histogram', () => 'A'.repeat(2_000_000), /characters, more than/],
  ];
  it.each(refused)('refuses %s at once', (_name, make, reason) => {
    const encoded = make();
    const started = Date.now();
    expect(() => decodeCounts(encoded)).toThrow(HistogramFormatError);
    expect(() => decodeCounts(encoded)).toThrow(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the library itself accepts what tailgate writes with other parameters, which decodeCounts refuses', () => {
    const other = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: 2 });
    other.recordValue(500);
    expect(() => decodeCounts(hdr.encodeIntoCompressedBase64(other))).toThrow(/parameters/);
  });
});

describe('encodeHistogram', () => {
  it("stores what the library's own encoding stores, for packed and 32-bit histograms, empty ones included", () => {
    for (let seed = 0; seed <= 30; seed++) {
      for (const make of [createHistogram, createWriteHistogram]) {
        const histogram = make();
        if (seed > 0) histogram.add(sampleHistogram(seed));
        const ours = encodeHistogram(histogram);
        const library = hdr.encodeIntoCompressedBase64(histogram);
        const back = decodeHistogram(ours);
        const reference = decodeHistogram(library);
        expect(back.totalCount).toBe(histogram.totalCount);
        expect(back.maxValue).toBe(reference.maxValue);
        expect(back.minNonZeroValue).toBe(reference.minNonZeroValue);
        for (const p of [1, 50, 95, 99, 99.9, 100]) expect(back.getValueAtPercentile(p)).toBe(reference.getValueAtPercentile(p));
        expect(decodeCounts(ours)).toEqual(decodeCounts(library));
        expect(countsOf(histogram)).toEqual(decodeCounts(library));
      }
    }
  });
});

describe('encodeCounts', () => {
  it('writes what the library writes, and what both read back', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const histogram = sampleHistogram(seed);
      const encoded = encodeHistogram(histogram);
      const counts = decodeCounts(encoded);
      const ours = encodeCounts(counts);
      expect(Buffer.from(ours, 'base64').subarray(8).length).toBeGreaterThan(0);
      const back = decodeHistogram(ours);
      expect(back.totalCount).toBe(histogram.totalCount);
      for (const p of [50, 95, 99.9]) expect(percentileMs(back, p)).toBe(percentileMs(histogram, p));
      expect(decodeCounts(ours)).toEqual(counts);
    }
  });

  it('puts a latency in the bucket the library does', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 2000 }, () => Math.round(10 ** (random.next() * 9)));
    const histogram = createHistogram();
    for (const v of values) recordMicros(histogram, v);
    const counts = countsFromIndexes(values.map(indexOfMicros));
    expect(counts.total).toBe(histogram.totalCount);
    for (const p of [1, 50, 95, 99, 100]) expect(percentileOfCounts(counts, p)).toBe(percentileMs(histogram, p));
  });
});
