import type { RunRecord } from './run-record-types.js';

/**
 * The generator's possible effect widens an interval; it does not discard a run that is clear
 * beyond it (DESIGN.md "Statistics").
 *
 * A generator that fell behind (the self-check's late starts, a blocked event loop) can only make
 * the run it measured look worse: a late start is inside an open-model latency, a blocked loop
 * delays seeing a response, and a late closed-model start idles its VU. The self-check records how
 * far: `lateness.p95Pct`, what late starts could have raised the run's p95 by (95% confidence), and
 * the event loop's p99 delay. Together they bound the latency the generator could have added to a
 * p95, in milliseconds; `lateness.throughputPct` bounds the share of closed-model throughput lost.
 * The comparison subtracts that from the run before testing it for a regression (the interval's
 * better end moves by it) and leaves the other side alone: a run within the allowance even so is
 * within it, and a change far beyond it is a regression.
 */
export interface GeneratorAllowance {
  /** Latency the generator could have added to a p95 of this run, ms. */
  addedMs: number;
  /** Share of throughput the generator could have cost this run, percent. */
  throughputPct: number;
}

/**
 * What the generator could have added to `run`: nothing when the self-check found it kept up (its
 * effect then stayed under a quarter of the allowed change, and the gate's noise covers it);
 * undefined when it fell behind and the record does not say by how much (records older than the
 * lateness bound), so the run cannot be judged.
 */
export function generatorAllowance(run: RunRecord): GeneratorAllowance | undefined {
  const generator = run.generator;
  if (generator.valid) return { addedMs: 0, throughputPct: 0 };
  const lateness = generator.lateness;
  if (lateness === undefined) return undefined;
  const p95Ms = run.summary.overall.p95;
  // p95Pct is how far above the p95 without lateness the measured one could be: p95 = (1 + p95Pct/100) × p95 without it.
  const lateMs = p95Ms > 0 ? p95Ms - p95Ms / (1 + lateness.p95Pct / 100) : 0;
  return { addedMs: lateMs + Math.max(0, generator.eventLoopDelayP99Ms), throughputPct: Math.min(100, Math.max(0, lateness.throughputPct)) };
}
