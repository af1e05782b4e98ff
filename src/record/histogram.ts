import * as hdr from 'hdr-histogram-js';
import { encodeCounts, type LatencyCounts } from './latency-counts.js';
import type { EncodedHistogram } from './run-record-types.js';

/**
 * Latency histograms: integer microseconds, 3 significant digits, from 1 µs to 1 hour.
 * Packed storage keeps an empty or sparse histogram small, so one per step and block is cheap.
 */
export type Histogram = hdr.Histogram;

const HIGHEST_TRACKABLE_US = 3_600_000_000;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 'packed',
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  });
}

/**
 * A histogram for writing: the same buckets as a stored one, in plain 32-bit counters, which are
 * several times faster to write than packed ones (~95 KB each). Pack it before storing it.
 */
export function createWriteHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  });
}

/**
 * A histogram that is written often and reset, never stored: plain 32-bit counters are faster to
 * write than packed ones and one of them costs little memory.
 */
export function createLiveHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 2,
    autoResize: false,
    useWebAssembly: false,
  });
}

/** Records one latency; values outside the trackable range are clamped rather than lost. */
export function recordMicros(histogram: Histogram, micros: number): void {
  const value = micros < 1 ? 1 : micros > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : Math.round(micros);
  histogram.recordValue(value);
}

/**
 * Records one duration that may be zero (a request phase: a reused connection's connect takes 0),
 * so a phase that took no time reads 0, as k6 reports it; clamped at an hour as `recordMicros`.
 */
export function recordMicrosFromZero(histogram: Histogram, micros: number): void {
  histogram.recordValue(micros < 0.5 ? 0 : micros > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : Math.round(micros));
}

/**
 * The stored form (HdrHistogram's compressed V2 encoding, what `hdr.encodeIntoCompressedBase64`
 * writes), compressed by Node's own zlib. In an ESM bundle the library cannot reach `zlib` and
 * falls back to pako, whose every call allocates some 300 KB of typed arrays that only a
 * scavenge frees: a record of many blocks then piled up tens of MiB of them at the end of a run
 * (about 0.8 MiB per 1 s block at 50 VUs). Node's zlib keeps about 40 KB of native state per
 * call until a GC, about an eighth of that.
 */
export function encodeHistogram(histogram: Histogram): EncodedHistogram {
  return encodeCounts(countsOf(histogram));
}

/** The non-empty buckets of a histogram, in index order (the format's counts array). */
export function countsOf(histogram: Histogram): LatencyCounts {
  const indexes: number[] = [];
  const counts: number[] = [];
  let total = 0;
  if (histogram.totalCount > 0) {
    const h = histogram as unknown as { countsArrayIndex(value: number): number; getCountAtIndex(index: number): number };
    const limit = h.countsArrayIndex(histogram.maxValue) + 1;
    for (let i = 0; i < limit; i++) {
      const count = h.getCountAtIndex(i);
      if (count > 0) {
        indexes.push(i);
        counts.push(count);
        total += count;
      }
    }
  }
  return { indexes: Int32Array.from(indexes), counts: Float64Array.from(counts), total };
}

/** Decodes a stored histogram; throws on corrupt input (callers turn that into a clear message). */
export function decodeHistogram(encoded: EncodedHistogram): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 'packed', false);
}

/** A new histogram holding the sum of the given ones (exact: HDR histograms add bucket by bucket). */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const merged = createHistogram();
  for (const part of parts) merged.add(part);
  return merged;
}

/** The value at a percentile (0–100), in milliseconds; 0 for an empty histogram. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  if (histogram.totalCount === 0) return 0;
  return histogram.getValueAtPercentile(percentile) / 1000;
}

export function maxMs(histogram: Histogram): number {
  return histogram.totalCount === 0 ? 0 : histogram.maxValue / 1000;
}

export function meanMs(histogram: Histogram): number {
  return histogram.totalCount === 0 ? 0 : histogram.mean / 1000;
}
