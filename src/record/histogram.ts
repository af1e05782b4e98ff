import * as hdr from 'hdr-histogram-js';
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

export function encodeHistogram(histogram: Histogram): EncodedHistogram {
  return hdr.encodeIntoCompressedBase64(histogram);
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
