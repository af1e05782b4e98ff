import type { Stage } from '../config/profile-types.js';

/**
 * The shapes executors follow, as pure functions of time: stage ramps (linear, as k6) and the
 * intended start times of open-model iterations.
 */

/** The ramped value at `t` ms after the start: linear within each stage, the last target after. */
export function rampValueAt(start: number, stages: readonly Stage[], t: number): number {
  let from = start;
  let elapsed = t;
  for (const stage of stages) {
    if (elapsed < stage.durationMs) return from + (stage.target - from) * (elapsed / stage.durationMs);
    elapsed -= stage.durationMs;
    from = stage.target;
  }
  return from;
}

/** A piece of a rate curve: iterations per ms going linearly from `from` to `to` over `durationMs`. */
interface RateSegment {
  durationMs: number;
  from: number;
  to: number;
}

/**
 * The intended start times (ms from the scenario's start) of an arrival-rate executor's
 * iterations: iteration k starts when the integral of the rate reaches k. Computed lazily,
 * so a schedule of millions of iterations costs no memory.
 */
export class ArrivalSchedule {
  private readonly segments: RateSegment[];
  private segmentIndex = 0;
  private segmentStartMs = 0;
  /** Iterations already due before the current segment began. */
  private countAtSegmentStart = 0;
  private nextIndex = 0;

  constructor(segments: RateSegment[]) {
    this.segments = segments.filter((s) => s.durationMs > 0);
  }

  static constant(rate: number, timeUnitMs: number, durationMs: number): ArrivalSchedule {
    const perMs = rate / timeUnitMs;
    return new ArrivalSchedule([{ durationMs, from: perMs, to: perMs }]);
  }

  static ramping(startRate: number, timeUnitMs: number, stages: readonly Stage[]): ArrivalSchedule {
    const segments: RateSegment[] = [];
    let from = startRate / timeUnitMs;
    for (const stage of stages) {
      const to = stage.target / timeUnitMs;
      segments.push({ durationMs: stage.durationMs, from, to });
      from = to;
    }
    return new ArrivalSchedule(segments);
  }

  /** How many iterations the whole schedule intends. */
  totalIterations(): number {
    const total = this.segments.reduce((sum, s) => sum + ((s.from + s.to) / 2) * s.durationMs, 0);
    // Iteration k starts when the integral reaches k, so k = 0 .. ceil(total) - 1 (guard float dust).
    return Math.ceil(total - 1e-9);
  }

  /** The start time of the next iteration, or undefined when the schedule is over. */
  next(): number | undefined {
    const k = this.nextIndex;
    while (this.segmentIndex < this.segments.length) {
      const segment = this.segments[this.segmentIndex] as RateSegment;
      const segmentCount = ((segment.from + segment.to) / 2) * segment.durationMs;
      const remaining = k - this.countAtSegmentStart;
      if (remaining < segmentCount - 1e-9) {
        this.nextIndex++;
        return this.segmentStartMs + timeToReach(segment, remaining);
      }
      this.countAtSegmentStart += segmentCount;
      this.segmentStartMs += segment.durationMs;
      this.segmentIndex++;
    }
    return undefined;
  }
}

/** Solves from*t + (to-from)*t²/(2D) = n for t in [0, D], in a form that is stable when from ≈ to. */
function timeToReach(segment: RateSegment, n: number): number {
  if (n <= 0) return 0;
  const a = (segment.to - segment.from) / (2 * segment.durationMs);
  const b = segment.from;
  const root = Math.sqrt(Math.max(0, b * b + 4 * a * n));
  const t = (2 * n) / (b + root);
  return Math.min(t, segment.durationMs);
}
