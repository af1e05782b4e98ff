import type { ErrorKind, StepRecord, BlockWindow, EncodedHistogram } from './run-record-types.js';
import { countsOf, createHistogram, createLiveHistogram, createWriteHistogram, encodeHistogram, percentileMs, recordMicros, type Histogram } from './histogram.js';
import { addCounts, encodeCounts, type LatencyCounts } from './latency-counts.js';
import { ServerTimingTally, withinComponentBudget } from './server-timing-tally.js';

/**
 * What one step accumulates: per-block histograms and counts. Each latency is recorded once, in
 * its block; the whole-period histogram is the sum of the blocks, built when the record is made
 * (HDR histograms add exactly, and one write per request keeps the hot path short).
 *
 * The blocks being written go to plain 32-bit histograms, which are fast to write; a block is
 * packed (small in memory) once requests of the block after next arrive, so a long run holds two
 * open histograms per step, whatever its length. A late request of a packed block still counts.
 */
class StepTally {
  readonly statuses = new Map<number, number>();
  readonly errorKinds = new Map<ErrorKind, number>();
  readonly blocks: Array<BlockTally | undefined> = [];
  /** Requests cut off in flight (a graceful stop expired, the run was stopped): not in any block. */
  interrupted = 0;
  private newest = -1;
  private readonly spare: Histogram[] = [];

  add(block: number, latencyUs: number | undefined, status: number | undefined, error: ErrorKind | undefined): void {
    let slot = this.blocks[block];
    if (!slot) slot = this.open(block);
    slot.requests++;
    if (latencyUs !== undefined) recordMicros(slot.histogram, latencyUs);
    if (status !== undefined) this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (error !== undefined) {
      slot.errors++;
      this.errorKinds.set(error, (this.errorKinds.get(error) ?? 0) + 1);
    }
  }

  /** Packs every block still open; the tally is then ready to be encoded. */
  packAll(): void {
    for (let i = 0; i < this.blocks.length; i++) this.pack(i);
  }

  private open(block: number): BlockTally {
    if (block < this.newest - 1) return (this.blocks[block] = { histogram: createHistogram(), packed: true, requests: 0, errors: 0 });
    const slot = (this.blocks[block] = { histogram: this.spare.pop() ?? createWriteHistogram(), packed: false, requests: 0, errors: 0 });
    if (block > this.newest) {
      for (let i = Math.max(0, this.newest - 1); i < block - 1; i++) this.pack(i);
      this.newest = block;
    }
    return slot;
  }

  private pack(block: number): void {
    const slot = this.blocks[block];
    if (!slot || slot.packed) return;
    const packed = createHistogram();
    packed.add(slot.histogram);
    slot.histogram.reset();
    this.spare.push(slot.histogram);
    slot.histogram = packed;
    slot.packed = true;
  }
}

interface BlockTally {
  histogram: Histogram;
  /** Whether `histogram` is packed (stored) or plain 32-bit (being written). */
  packed: boolean;
  requests: number;
  errors: number;
}

/** A step's (or all steps') record from its block tallies, `blockCount` blocks long. */
function toStepRecord(
  blocks: ReadonlyArray<BlockTally | undefined>,
  statuses: Map<number, number>,
  errorKinds: Map<ErrorKind, number>,
  blockCount: number,
  interrupted: number,
): StepRecord {
  const empty = encodeHistogram(createHistogram());
  const whole = createHistogram();
  let requests = 0;
  let errors = 0;
  const encoded = [];
  for (let i = 0; i < blockCount; i++) {
    const slot = blocks[i];
    if (!slot) {
      encoded.push({ histogram: empty, requests: 0, errors: 0 });
      continue;
    }
    whole.add(slot.histogram);
    requests += slot.requests;
    errors += slot.errors;
    encoded.push({ histogram: encodeHistogram(slot.histogram), requests: slot.requests, errors: slot.errors });
  }
  return {
    histogram: encodeHistogram(whole),
    requests,
    errors,
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v])),
    errorKinds: Object.fromEntries(errorKinds),
    blocks: encoded,
    ...(interrupted > 0 ? { interrupted } : {}),
  };
}

/** All steps together, block by block. */
function overallTally(steps: readonly StepTally[], blockCount: number): StepTally {
  const overall = new StepTally();
  for (const step of steps) {
    for (let i = 0; i < blockCount; i++) {
      const slot = step.blocks[i];
      if (!slot) continue;
      let sum = overall.blocks[i];
      if (!sum) sum = overall.blocks[i] = { histogram: createHistogram(), packed: true, requests: 0, errors: 0 };
      sum.histogram.add(slot.histogram);
      sum.requests += slot.requests;
      sum.errors += slot.errors;
    }
    for (const [status, n] of step.statuses) overall.statuses.set(status, (overall.statuses.get(status) ?? 0) + n);
    for (const [kind, n] of step.errorKinds) overall.errorKinds.set(kind, (overall.errorKinds.get(kind) ?? 0) + n);
    overall.interrupted += step.interrupted;
  }
  return overall;
}

/** Requests and latency since the last look, for live progress. */
export interface LiveWindow {
  requests: number;
  errors: number;
  p95Ms: number;
}

/**
 * Records every request of the measured period into HDR histograms, per step and overall, for the
 * whole period and per block. Times are milliseconds from the start of the run; requests that
 * began during warm-up are counted apart and kept out of every statistic.
 */
export class Recorder {
  private readonly steps: StepTally[];
  /** Per step, made at its first response with a `Server-Timing` header. */
  private readonly serverTiming: Array<ServerTimingTally | undefined> = [];
  private readonly live = createLiveHistogram();
  private liveRequests = 0;
  private liveErrors = 0;
  totalRequests = 0;
  totalErrors = 0;
  warmupRequests = 0;
  /** The blocks' counts as the last snapshot took them, per step and overall. */
  private looked: { blocks: number; steps: BlockCounts[][]; overall: BlockCounts[] } = { blocks: 0, steps: [], overall: [] };

  constructor(
    readonly stepNames: readonly string[],
    private readonly warmupMs: number,
    private readonly blockMs: number,
    /** Keep a live latency histogram for progress; a run nobody watches skips that write. */
    private readonly watchLive = true,
  ) {
    this.steps = stepNames.map(() => new StepTally());
  }

  /**
   * One finished request. `latencyUs` is absent for failures that have no meaningful duration
   * (refused, reset, DNS); a timeout keeps its elapsed time, a lower bound of the true latency.
   */
  record(stepId: number, originMs: number, latencyUs: number | undefined, status: number | undefined, error: ErrorKind | undefined): void {
    this.totalRequests++;
    this.liveRequests++;
    if (error !== undefined) {
      this.totalErrors++;
      this.liveErrors++;
    }
    if (latencyUs !== undefined && this.watchLive) recordMicros(this.live, latencyUs);
    if (originMs < this.warmupMs) {
      this.warmupRequests++;
      return;
    }
    const block = Math.floor((originMs - this.warmupMs) / this.blockMs);
    (this.steps[stepId] as StepTally).add(block, latencyUs, status, error);
  }

  /**
   * Where the `Server-Timing` metrics of a response of the step go, recorded like its latency (in
   * the block its request began in); undefined for a request of the warm-up.
   */
  serverTimingOf(stepId: number, originMs: number): ServerTimingTally | undefined {
    if (originMs < this.warmupMs) return undefined;
    const tally = (this.serverTiming[stepId] ??= new ServerTimingTally());
    tally.startResponse(Math.floor((originMs - this.warmupMs) / this.blockMs));
    return tally;
  }

  /** A request of the step cut off in flight: counted apart, neither a request nor an error of the target. */
  recordInterrupted(stepId: number): void {
    (this.steps[stepId] as StepTally).interrupted++;
  }

  takeLiveWindow(): LiveWindow {
    const window = { requests: this.liveRequests, errors: this.liveErrors, p95Ms: percentileMs(this.live, 95) };
    this.live.reset();
    this.liveRequests = 0;
    this.liveErrors = 0;
    return window;
  }

  /** The block windows covering a measured period of `measuredMs`, the last one possibly shorter. */
  blockWindows(measuredMs: number): BlockWindow[] {
    const windows: BlockWindow[] = [];
    for (let start = 0; start < measuredMs; start += this.blockMs) {
      windows.push({ startMs: start, endMs: Math.min(start + this.blockMs, measuredMs) });
    }
    return windows;
  }

  /**
   * The step and overall records of the first `measuredMs`, as `toRecords` would make them, for a
   * look while the run goes on: the tallies are left as they are (nothing packed or folded), and
   * requests that began after that period are left out, the next look's. Status and error-kind
   * counts are the step's so far, those requests included. It works on bucket counts, not
   * histograms (adding packed histograms costs milliseconds each), and keeps each block's counts
   * from the previous look on, so that a look costs little more than its new blocks: a block
   * before the previous look's end is taken as finished (its requests had that look's lag and
   * the time since to end; one that had not is in the record, not in the look).
   */
  snapshot(measuredMs: number): ReturnType<Recorder['toRecords']> {
    const blocks = this.blockWindows(measuredMs);
    const count = Math.max(1, blocks.length);
    if (blocks.length === 0) blocks.push({ startMs: 0, endMs: 0 });
    const cache = this.looked;
    const settled = Math.min(cache.blocks, count);
    const stepBlocks = this.steps.map((tally, s) =>
      Array.from({ length: count }, (_, i): BlockCounts => {
        const kept = i < settled ? cache.steps[s]?.[i] : undefined;
        if (kept !== undefined) return kept;
        const slot = tally.blocks[i];
        return slot === undefined ? EMPTY_BLOCK : { counts: countsOf(slot.histogram), requests: slot.requests, errors: slot.errors };
      }),
    );
    const overallBlocks = Array.from({ length: count }, (_, i): BlockCounts => {
      const kept = i < settled ? cache.overall[i] : undefined;
      if (kept !== undefined) return kept;
      const parts = stepBlocks.map((b) => b[i] as BlockCounts);
      return { counts: addCounts(parts.map((p) => p.counts)), requests: parts.reduce((n, p) => n + p.requests, 0), errors: parts.reduce((n, p) => n + p.errors, 0) };
    });
    this.looked = { blocks: count, steps: stepBlocks, overall: overallBlocks };
    const statuses = new Map<number, number>();
    const errorKinds = new Map<ErrorKind, number>();
    let interrupted = 0;
    const steps: Record<string, StepRecord> = Object.fromEntries(
      this.stepNames.map((name, i) => {
        const tally = this.steps[i] as StepTally;
        for (const [status, n] of tally.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
        for (const [kind, n] of tally.errorKinds) errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + n);
        interrupted += tally.interrupted;
        return [name, stepRecordOfCounts(stepBlocks[i] as BlockCounts[], tally.statuses, tally.errorKinds, tally.interrupted)];
      }),
    );
    return { blocks, overall: stepRecordOfCounts(overallBlocks, statuses, errorKinds, interrupted), steps };
  }

  /**
   * Step and overall records. Requests that began after the last window (iterations finishing
   * during a graceful stop) are folded into the last block, so counts always add up.
   */
  toRecords(measuredMs: number): { blocks: BlockWindow[]; overall: StepRecord; steps: Record<string, StepRecord> } {
    const blocks = this.blockWindows(measuredMs);
    const count = Math.max(1, blocks.length);
    if (blocks.length === 0) blocks.push({ startMs: 0, endMs: 0 });
    for (const tally of this.steps) {
      tally.packAll();
      foldTail(tally, count);
    }
    // fromEntries defines each name as the record's own key, so no step name can be lost to a setter such as __proto__.
    const steps: Record<string, StepRecord> = Object.fromEntries(
      this.stepNames.map((name, i) => {
        const tally = this.steps[i] as StepTally;
        return [name, toStepRecord(tally.blocks, tally.statuses, tally.errorKinds, count, tally.interrupted)];
      }),
    );
    this.stepNames.forEach((name, i) => {
      const tally = this.serverTiming[i];
      if (tally) (steps[name] as StepRecord).serverTiming = tally.toRecord(count);
    });
    withinComponentBudget(steps);
    const overall = overallTally(this.steps, count);
    return { blocks, overall: toStepRecord(overall.blocks, overall.statuses, overall.errorKinds, count, overall.interrupted), steps };
  }
}

/** A block's bucket counts and tallies, and their encoded form once made. */
interface BlockCounts {
  counts: LatencyCounts;
  requests: number;
  errors: number;
  encoded?: EncodedHistogram;
}

const EMPTY_BLOCK: BlockCounts = { counts: { indexes: new Int32Array(0), counts: new Float64Array(0), total: 0 }, requests: 0, errors: 0 };

/** `toStepRecord` from blocks' counts; each block is encoded once, and kept so. */
function stepRecordOfCounts(blocks: BlockCounts[], statuses: Map<number, number>, errorKinds: Map<ErrorKind, number>, interrupted: number): StepRecord {
  for (const block of blocks) block.encoded ??= encodeCounts(block.counts);
  return {
    histogram: encodeCounts(addCounts(blocks.map((b) => b.counts))),
    requests: blocks.reduce((n, b) => n + b.requests, 0),
    errors: blocks.reduce((n, b) => n + b.errors, 0),
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v])),
    errorKinds: Object.fromEntries(errorKinds),
    blocks: blocks.map((b) => ({ histogram: b.encoded as EncodedHistogram, requests: b.requests, errors: b.errors })),
    ...(interrupted > 0 ? { interrupted } : {}),
  };
}

function foldTail(tally: StepTally, count: number): void {
  for (let i = count; i < tally.blocks.length; i++) {
    const extra = tally.blocks[i];
    if (!extra) continue;
    let last = tally.blocks[count - 1];
    if (!last) last = tally.blocks[count - 1] = { histogram: createHistogram(), packed: true, requests: 0, errors: 0 };
    last.histogram.add(extra.histogram);
    last.requests += extra.requests;
    last.errors += extra.errors;
  }
  tally.blocks.length = Math.min(tally.blocks.length, count);
}
