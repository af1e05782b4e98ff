import { addCounts, decodeCounts, percentileOfCounts, type LatencyCounts } from '../record/latency-counts.js';
import type { RunRecord, StepRecord } from '../record/run-record-types.js';

/** One block of one step, as recorded (the finest the record holds), decoded once. */
export interface BlockMeasurement {
  seconds: number;
  requests: number;
  errors: number;
  /** Latencies of the block's requests (refused or reset requests have none). */
  latencies: LatencyCounts;
}

/** A step (or overall) of one run, decoded from its histograms. */
export interface StepMeasurement {
  requests: number;
  errors: number;
  measuredSeconds: number;
  /** Length of the recorded blocks, ms. */
  blockMs: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  blocks: BlockMeasurement[];
  /** The record's responses by status code and errors by kind, as it counts them. */
  statuses: Readonly<Record<string, number>>;
  errorKinds: Readonly<Partial<Record<string, number>>>;
}

/** An analysis block: `size` adjacent recorded blocks taken together. */
export interface GroupedBlock {
  seconds: number;
  requests: number;
  errors: number;
  latencyCount: number;
  /** p95 of the group's latencies, ms; null when it had none. */
  p95Ms: number | null;
}

/**
 * Measurements and groupings are pure functions of an immutable record, so they are kept while
 * the record lives: a baseline run judged against several runs (the calibration grid, merge
 * jobs) is measured once.
 */
const measured = new WeakMap<StepRecord, StepMeasurement>();
const grouped = new WeakMap<StepMeasurement, Map<number, GroupedBlock[]>>();

export function measureStep(run: RunRecord, step: StepRecord): StepMeasurement {
  const known = measured.get(step);
  if (known !== undefined && known.measuredSeconds === run.meta.measuredMs / 1000 && known.blockMs === run.meta.blockMs) return known;
  const measurement = measureUncached(run, step);
  measured.set(step, measurement);
  return measurement;
}

function measureUncached(run: RunRecord, step: StepRecord): StepMeasurement {
  const whole = decodeCounts(step.histogram);
  const hasLatencies = whole.total > 0;
  const blockCount = Math.min(step.blocks.length, run.blocks.length);
  const blocks: BlockMeasurement[] = [];
  for (let i = 0; i < blockCount; i++) {
    const block = step.blocks[i];
    const window = run.blocks[i];
    if (block === undefined || window === undefined) continue;
    blocks.push({ seconds: Math.max(0, (window.endMs - window.startMs) / 1000), requests: block.requests, errors: block.errors, latencies: decodeCounts(block.histogram) });
  }
  // A record that held only percentiles per window (an import of Locust's history): its whole-run
  // histogram is the blocks' approximations added up, so p50 and p99 are not given and p95 is the
  // median of the blocks' p95s, not the run's (the comparison's notes say what was not tested).
  const aggregate = run.meta.source?.fidelity === 'aggregate';
  return {
    requests: step.requests,
    errors: step.errors,
    measuredSeconds: run.meta.measuredMs / 1000,
    blockMs: run.meta.blockMs,
    p50Ms: hasLatencies && !aggregate ? percentileOfCounts(whole, 50) : null,
    p95Ms: hasLatencies ? (aggregate ? medianBlockP95(blocks) : percentileOfCounts(whole, 95)) : null,
    p99Ms: hasLatencies && !aggregate ? percentileOfCounts(whole, 99) : null,
    blocks,
    statuses: step.statuses,
    errorKinds: step.errorKinds,
  };
}

/** The median of the blocks' own p95s (of blocks with latencies): what an aggregate record says of the run's p95. */
function medianBlockP95(blocks: readonly BlockMeasurement[]): number | null {
  const p95s = blocks.filter((b) => b.latencies.total > 0).map((b) => percentileOfCounts(b.latencies, 95)).sort((a, b) => a - b);
  if (p95s.length === 0) return null;
  const middle = Math.floor(p95s.length / 2);
  return p95s.length % 2 === 1 ? (p95s[middle] as number) : ((p95s[middle - 1] as number) + (p95s[middle] as number)) / 2;
}

/** Recorded blocks taken `size` at a time (the last group may be shorter). */
export function groupBlocks(measurement: StepMeasurement, size: number): GroupedBlock[] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`a group holds a whole number of blocks ≥ 1 (got ${size})`);
  let bySize = grouped.get(measurement);
  if (bySize === undefined) grouped.set(measurement, (bySize = new Map()));
  const known = bySize.get(size);
  if (known !== undefined) return known;
  const groups = groupUncached(measurement, size);
  bySize.set(size, groups);
  return groups;
}

function groupUncached(measurement: StepMeasurement, size: number): GroupedBlock[] {
  const groups: GroupedBlock[] = [];
  for (let start = 0; start < measurement.blocks.length; start += size) {
    const members = measurement.blocks.slice(start, start + size);
    const latencies = members.length === 1 ? (members[0] as BlockMeasurement).latencies : addCounts(members.map((b) => b.latencies));
    groups.push({
      seconds: members.reduce((sum, b) => sum + b.seconds, 0),
      requests: members.reduce((sum, b) => sum + b.requests, 0),
      errors: members.reduce((sum, b) => sum + b.errors, 0),
      latencyCount: latencies.total,
      p95Ms: latencies.total > 0 ? percentileOfCounts(latencies, 95) : null,
    });
  }
  return groups;
}

/** The group p95s trusted for inference and charts: null where a group had too few latencies. */
export function usableP95s(groups: readonly GroupedBlock[], minBlockRequests: number): Array<number | null> {
  return groups.map((group) => (group.latencyCount >= minBlockRequests && group.p95Ms !== null && group.p95Ms > 0 ? group.p95Ms : null));
}
