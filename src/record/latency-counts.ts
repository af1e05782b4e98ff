import { deflateSync, inflateSync } from 'node:zlib';
import type { EncodedHistogram } from './run-record-types.js';

/**
 * A stored latency histogram read into the few numbers statistics need: the non-empty buckets,
 * in value order, as plain arrays. Reading is bounded (a record is untrusted input: a fork's
 * report, an artifact, a cache entry), and only the parameters tailgate writes are accepted, so a
 * crafted histogram is refused at once instead of inflating to gigabytes or iterating for minutes.
 *
 * The format is HdrHistogram's compressed V2 encoding, as hdr-histogram-js writes it: a cookie
 * and a length, then zlib data holding a 40-byte header and the counts as ZigZag LEB128 numbers,
 * where a negative number is a run of empty buckets. Values are the library's, bucket for bucket:
 * `percentile` answers exactly what `getValueAtPercentile` does (test/record/latency-counts.test.ts).
 */
export interface LatencyCounts {
  /** Bucket indexes with a non-zero count, ascending. */
  readonly indexes: Int32Array;
  readonly counts: Float64Array;
  readonly total: number;
}

export class HistogramFormatError extends Error {
  constructor(readonly reason: string) {
    super(`damaged histogram: ${reason}`);
    this.name = 'HistogramFormatError';
  }
}

// The parameters every stored histogram has (see histogram.ts): 1 µs to 1 hour, 3 digits.
const LOWEST = 1;
const HIGHEST = 3_600_000_000;
const DIGITS = 3;
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10; // ceil(log2(2 × 10^3)) − 1
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
const SUB_BUCKET_COUNT = 2 * SUB_BUCKET_HALF_COUNT;
const BUCKET_COUNT = bucketsToCover(HIGHEST);
/** Length of the counts array for these parameters. */
const COUNTS_LENGTH = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

const COMPRESSED_COOKIE = 0x1c849304;
const ENCODING_COOKIE = 0x1c849303;
const HEADER_BYTES = 40;
/** At most 9 bytes per count: anything longer is not a histogram tailgate wrote. */
const MAX_PAYLOAD_BYTES = COUNTS_LENGTH * 9;
const MAX_ENCODED_CHARS = Math.ceil(((MAX_PAYLOAD_BYTES + HEADER_BYTES) * 1.01 + 64) / 3) * 4;

function bucketsToCover(value: number): number {
  let smallestUntrackable = SUB_BUCKET_COUNT;
  let buckets = 1;
  while (smallestUntrackable <= value) {
    smallestUntrackable *= 2;
    buckets++;
  }
  return buckets;
}

const EMPTY: LatencyCounts = { indexes: new Int32Array(0), counts: new Float64Array(0), total: 0 };

/**
 * Reads an encoded histogram; throws HistogramFormatError on anything tailgate would not write.
 * The reader checks every histogram of a record and the comparison reads them again: a small memo
 * of recent results makes that one decoding (the counts are immutable).
 */
export function decodeCounts(encoded: EncodedHistogram): LatencyCounts {
  if (typeof encoded !== 'string') throw new HistogramFormatError('not a string');
  const known = recent.get(encoded);
  if (known !== undefined) return known;
  const counts = decodeUncached(encoded);
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(encoded, counts);
  return counts;
}

const RECENT_LIMIT = 50_000;
const recent = new Map<string, LatencyCounts>();

function decodeUncached(encoded: string): LatencyCounts {
  if (encoded.length > MAX_ENCODED_CHARS) throw new HistogramFormatError(`${encoded.length} characters, more than any histogram tailgate writes (${MAX_ENCODED_CHARS})`);
  const bytes = Buffer.from(encoded.trim(), 'base64');
  if (bytes.length < 8) throw new HistogramFormatError('too short');
  if ((bytes.readInt32BE(0) & ~0xf0) !== COMPRESSED_COOKIE) throw new HistogramFormatError('not a compressed HdrHistogram (V2)');
  const compressedLength = bytes.readInt32BE(4);
  if (compressedLength < 0 || compressedLength > bytes.length - 8) throw new HistogramFormatError('its length field does not match its data');
  let data: Buffer;
  try {
    data = inflateSync(bytes.subarray(8, 8 + compressedLength), { maxOutputLength: HEADER_BYTES + MAX_PAYLOAD_BYTES });
  } catch (error) {
    const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new HistogramFormatError(tooBig ? 'it inflates beyond the size of any histogram tailgate writes' : 'its compressed data is corrupt');
  }
  if (data.length < HEADER_BYTES) throw new HistogramFormatError('its header is incomplete');
  if ((data.readInt32BE(0) & ~0xf0) !== ENCODING_COOKIE) throw new HistogramFormatError('its inner encoding is not HdrHistogram V2');
  const payloadLength = data.readInt32BE(4);
  const digits = data.readInt32BE(12);
  const lowest = Number(data.readBigInt64BE(16));
  const highest = Number(data.readBigInt64BE(24));
  if (digits !== DIGITS || lowest !== LOWEST || highest !== HIGHEST) {
    throw new HistogramFormatError(`parameters ${lowest}..${highest} with ${digits} digits; tailgate writes ${LOWEST}..${HIGHEST} with ${DIGITS}`);
  }
  if (payloadLength < 0 || payloadLength > data.length - HEADER_BYTES) throw new HistogramFormatError('its payload length does not match its data');
  return readPayload(data, HEADER_BYTES, HEADER_BYTES + payloadLength);
}

function readPayload(data: Buffer, start: number, end: number): LatencyCounts {
  const indexes: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let index = 0;
  let position = start;
  while (position < end) {
    // ZigZag LEB128, the 9-byte variant: the ninth byte carries 8 bits.
    let value = 0;
    let factor = 1;
    let byte = 0x80;
    for (let i = 0; i < 9 && byte & 0x80; i++) {
      if (position >= end) throw new HistogramFormatError('a count is cut off');
      byte = data[position++] as number;
      value += (i === 8 ? byte : byte & 0x7f) * factor;
      factor *= 128;
    }
    const number = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (number < 0) {
      index += -number;
      continue;
    }
    if (index >= COUNTS_LENGTH) throw new HistogramFormatError('a count lies beyond the histogram range');
    if (number > 0) {
      indexes.push(index);
      counts.push(number);
      total += number;
    }
    index++;
  }
  if (!Number.isSafeInteger(total)) throw new HistogramFormatError('its counts overflow');
  if (indexes.length === 0) return EMPTY;
  return { indexes: Int32Array.from(indexes), counts: Float64Array.from(counts), total };
}

/** The lowest value (µs) of a bucket. */
function lowestValue(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

/** Width of a bucket's value range, µs. */
function bucketWidth(index: number): number {
  const bucket = Math.max(0, (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1);
  return 2 ** bucket;
}

/** The highest value of a bucket, µs: what HdrHistogram reports for a percentile. */
function highestValue(index: number): number {
  return lowestValue(index) + bucketWidth(index) - 1;
}

/** The middle value of a bucket, ms (as the mean counts it): where a histogram of the counts puts the bucket's requests. */
export function bucketMiddleMs(index: number): number {
  return (lowestValue(index) + Math.floor(bucketWidth(index) / 2)) / 1000;
}

/** The value at a percentile (0 < p ≤ 100), in milliseconds; 0 when empty. Same rule as the library. */
export function percentileOfCounts(counts: LatencyCounts, percentile: number): number {
  if (counts.total === 0) return 0;
  const fp = (Math.min(percentile, 100) / 100) * counts.total;
  const target = Math.max(fp > 0 ? Math.ceil(fp - 2 ** (Math.floor(Math.log2(fp)) - 52)) : 0, 1);
  let running = 0;
  for (let i = 0; i < counts.indexes.length; i++) {
    running += counts.counts[i] as number;
    if (running >= target) return highestValue(counts.indexes[i] as number) / 1000;
  }
  return highestValue(counts.indexes[counts.indexes.length - 1] as number) / 1000;
}

/** Largest recorded value, ms (its bucket's highest value, as the decoded histogram reports it). */
export function maxOfCounts(counts: LatencyCounts): number {
  if (counts.total === 0) return 0;
  return highestValue(counts.indexes[counts.indexes.length - 1] as number) / 1000;
}

/** Smallest recorded value, ms (its bucket's lowest value). */
export function minOfCounts(counts: LatencyCounts): number {
  if (counts.total === 0) return 0;
  return lowestValue(counts.indexes[0] as number) / 1000;
}

/** Mean, ms, each bucket at its middle value (as the library computes it). */
export function meanOfCounts(counts: LatencyCounts): number {
  if (counts.total === 0) return 0;
  let sum = 0;
  for (let i = 0; i < counts.indexes.length; i++) {
    const index = counts.indexes[i] as number;
    sum += (lowestValue(index) + Math.floor(bucketWidth(index) / 2)) * (counts.counts[i] as number);
  }
  return sum / counts.total / 1000;
}

/** The sum of several histograms' counts (exact, like adding the histograms). */
export function addCounts(parts: readonly LatencyCounts[]): LatencyCounts {
  const nonEmpty = parts.filter((p) => p.total > 0);
  if (nonEmpty.length === 0) return EMPTY;
  if (nonEmpty.length === 1) return nonEmpty[0] as LatencyCounts;
  if (nonEmpty.length <= 4) return nonEmpty.reduce(mergeTwo);
  // A dense tally over the occupied range: linear in the entries and the range, no hashing.
  let low = Number.POSITIVE_INFINITY;
  let high = -1;
  for (const part of nonEmpty) {
    low = Math.min(low, part.indexes[0] as number);
    high = Math.max(high, part.indexes[part.indexes.length - 1] as number);
  }
  const tally = new Float64Array(high - low + 1);
  let total = 0;
  let occupied = 0;
  for (const part of nonEmpty) {
    for (let i = 0; i < part.indexes.length; i++) {
      const slot = (part.indexes[i] as number) - low;
      if (tally[slot] === 0) occupied++;
      tally[slot] = (tally[slot] as number) + (part.counts[i] as number);
    }
    total += part.total;
  }
  const indexes = new Int32Array(occupied);
  const counts = new Float64Array(occupied);
  let k = 0;
  for (let slot = 0; slot < tally.length; slot++) {
    const count = tally[slot] as number;
    if (count > 0) {
      indexes[k] = slot + low;
      counts[k++] = count;
    }
  }
  return { indexes, counts, total };
}

/** Two sorted count lists merged in one pass. */
function mergeTwo(a: LatencyCounts, b: LatencyCounts): LatencyCounts {
  const indexes = new Int32Array(a.indexes.length + b.indexes.length);
  const counts = new Float64Array(indexes.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.indexes.length || j < b.indexes.length) {
    const ai = i < a.indexes.length ? (a.indexes[i] as number) : Number.POSITIVE_INFINITY;
    const bj = j < b.indexes.length ? (b.indexes[j] as number) : Number.POSITIVE_INFINITY;
    if (ai === bj) {
      indexes[k] = ai;
      counts[k++] = (a.counts[i++] as number) + (b.counts[j++] as number);
    } else if (ai < bj) {
      indexes[k] = ai;
      counts[k++] = a.counts[i++] as number;
    } else {
      indexes[k] = bj;
      counts[k++] = b.counts[j++] as number;
    }
  }
  return { indexes: indexes.slice(0, k), counts: counts.slice(0, k), total: a.total + b.total };
}

/** The bucket a latency in integer microseconds falls in (values are clamped to the range). */
export function indexOfMicros(micros: number): number {
  const value = micros < LOWEST ? LOWEST : micros > HIGHEST ? HIGHEST : Math.round(micros);
  const bucket = Math.max(Math.floor(Math.log2(value)) - SUB_BUCKET_HALF_COUNT_MAGNITUDE, 0);
  return (bucket + 1) * SUB_BUCKET_HALF_COUNT + (Math.floor(value / 2 ** bucket) - SUB_BUCKET_HALF_COUNT);
}

/** Counts from bucket indexes, one per latency, in any order. */
export function countsFromIndexes(indexes: ArrayLike<number>): LatencyCounts {
  if (indexes.length === 0) return EMPTY;
  const sorted = Int32Array.from(indexes).sort();
  const unique: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const index = sorted[i] as number;
    if (unique.length > 0 && unique[unique.length - 1] === index) counts[counts.length - 1]!++;
    else {
      unique.push(index);
      counts.push(1);
    }
  }
  return { indexes: Int32Array.from(unique), counts: Float64Array.from(counts), total: sorted.length };
}

/**
 * Encodes counts in the stored format, as hdr-histogram-js writes it (so either reads it back):
 * for records made from counts, such as synthetic runs.
 */
export function encodeCounts(counts: LatencyCounts, compressionLevel = 6): EncodedHistogram {
  const payload: number[] = [];
  const put = (number: number): void => {
    let value = number >= 0 ? number * 2 : -number * 2 - 1;
    for (let i = 0; i < 8 && value >= 128; i++) {
      payload.push((value % 128) | 0x80);
      value = Math.floor(value / 128);
    }
    payload.push(value);
  };
  let next = 0;
  for (let i = 0; i < counts.indexes.length; i++) {
    const index = counts.indexes[i] as number;
    const gap = index - next;
    if (gap === 1) put(0);
    else if (gap > 1) put(-gap);
    put(counts.counts[i] as number);
    next = index + 1;
  }
  const inner = Buffer.alloc(HEADER_BYTES + payload.length);
  inner.writeInt32BE(ENCODING_COOKIE | 0x10, 0);
  inner.writeInt32BE(payload.length, 4);
  inner.writeInt32BE(1, 8);
  inner.writeInt32BE(DIGITS, 12);
  inner.writeBigInt64BE(BigInt(LOWEST), 16);
  inner.writeBigInt64BE(BigInt(HIGHEST), 24);
  inner.writeBigInt64BE(1n, 32);
  Buffer.from(payload).copy(inner, HEADER_BYTES);
  const compressed = deflateSync(inner, { level: compressionLevel });
  const outer = Buffer.alloc(8 + compressed.length);
  outer.writeInt32BE(COMPRESSED_COOKIE | 0x10, 0);
  outer.writeInt32BE(compressed.length, 4);
  compressed.copy(outer, 8);
  return outer.toString('base64');
}
