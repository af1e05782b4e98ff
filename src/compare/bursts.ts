import type { RunRecord } from '../record/run-record-types.js';
import { filledBlockSize } from './block-length.js';
import { groupBlocks, measureStep, usableP95s, type StepMeasurement } from './step-measurement.js';

/**
 * A noisy neighbour's burst makes a few seconds of a run far slower than the rest: more than a
 * trimmed mean can cut in a short run (3 s of a 10 s run). Blocks whose log p95 lies more than
 * BURST_Z robust standard deviations (1.4826 × the median absolute deviation) from the run's
 * median are set aside, when at least MIN_KEPT blocks remain. A regression that slows the whole
 * run, or its second half, moves the median with it and sets nothing aside.
 *
 * A burst slows every step at once, so it is found where the run has the most latencies (all
 * steps together) and the same seconds are set aside in every step; a step's own blocks are
 * then checked as well. A step of a few requests a second, whose few blocks could not show a
 * burst by themselves, is no longer judged on the neighbour's seconds.
 */
const BURST_Z = 5;
const MIN_KEPT = 5;

/** For each value, whether it is a burst; nulls (unusable blocks) are never one. */
export function burstFlags(values: ReadonlyArray<number | null>): boolean[] {
  const present = values.filter((v): v is number => v !== null);
  const none = values.map(() => false);
  if (present.length < MIN_KEPT) return none;
  const median = middle(present);
  const scale = 1.4826 * middle(present.map((v) => Math.abs(v - median)));
  if (!(scale > 0)) return none;
  const flags = values.map((v) => v !== null && Math.abs(v - median) > BURST_Z * scale);
  return present.length - flags.filter(Boolean).length >= MIN_KEPT ? flags : none;
}

/**
 * Seconds in which a run as a whole (all steps together) was far slower or faster than the rest
 * of it, per run of a comparison, as flags on its recorded blocks. Each run's blocks are measured
 * from the run's own median, on a scale pooled over every run of the comparison (1.4826 × the
 * median absolute deviation of all their blocks): a run whose burst covers a third of it would
 * inflate its own scale enough to hide the burst, but not the pooled one. Blocks beyond
 * SHARED_BURST_Z of that scale are flagged, when fewer than half of the run's blocks are and at
 * least MIN_KEPT remain.
 */
const SHARED_BURST_Z = 4;

export function runBursts(runs: readonly RunRecord[], minBlockRequests: number): Map<RunRecord, boolean[]> {
  const series = runs.map((run) => {
    const overall = measureStep(run, run.overall);
    // As fine as the latencies allow: not merged for autocorrelation, which a burst itself causes.
    const size = filledBlockSize(overall, minBlockRequests);
    const logs = usableP95s(groupBlocks(overall, size), minBlockRequests).map((p) => (p === null ? null : Math.log(p)));
    const present = logs.filter((v): v is number => v !== null);
    return { run, size, recorded: overall.blocks.length, logs, median: present.length > 0 ? middle(present) : 0, present: present.length };
  });
  const deviations = series.flatMap(({ logs, median }) => logs.flatMap((v) => (v === null ? [] : [Math.abs(v - median)])));
  const scale = deviations.length > 0 ? 1.4826 * middle(deviations) : 0;
  const result = new Map<RunRecord, boolean[]>();
  for (const { run, size, recorded, logs, median, present } of series) {
    const flags = logs.map((v) => scale > 0 && v !== null && Math.abs(v - median) > SHARED_BURST_Z * scale);
    const flagged = flags.filter(Boolean).length;
    const keep = flagged > 0 && 2 * flagged < present && present - flagged >= MIN_KEPT;
    result.set(run, Array.from({ length: recorded }, (_, i) => keep && flags[Math.floor(i / size)] === true));
  }
  return result;
}

const calm = new WeakMap<StepMeasurement, { bursts: readonly boolean[]; result: StepMeasurement }>();

/**
 * A step of a run without the seconds of the run's bursts: its recorded blocks in a burst are
 * left out before they are taken together into analysis blocks, so a step of a few requests a
 * second, whose long analysis blocks could not show a burst by themselves, is not judged on the
 * neighbour's seconds. The same object when the run had no burst.
 */
export function withoutBursts(measurement: StepMeasurement, bursts: readonly boolean[]): StepMeasurement {
  const known = calm.get(measurement);
  if (known !== undefined && known.bursts === bursts) return known.result;
  const result = bursts.some(Boolean) ? { ...measurement, blocks: measurement.blocks.filter((_, i) => bursts[i] !== true) } : measurement;
  calm.set(measurement, { bursts, result });
  return result;
}

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}
