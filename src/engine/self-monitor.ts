import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { GeneratorRecord } from '../record/run-record-types.js';

/** A request that starts this much after it was due counts as a late start. */
export const LATE_THRESHOLD_MS = 10;
const MAX_EVENT_LOOP_P99_MS = 50;
const MAX_LATE_FRACTION = 0.01;
const BUSY_CORE_FRACTION = 0.9;
/** The event-loop sampling interval; Node's samples include it, so it is subtracted. */
const LOOP_RESOLUTION_MS = 10;

/**
 * Watches the load generator itself: event-loop delay, late starts and its own CPU. When the
 * generator, not the target, was the bottleneck, the run is marked invalid and says why.
 */
export class SelfMonitor {
  private readonly loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private readonly cpuStart = process.cpuUsage();
  private readonly wallStart = process.hrtime.bigint();
  lateStarts = 0;

  start(): void {
    this.loopDelay.enable();
  }

  noteStart(lateByMs: number): void {
    if (lateByMs > LATE_THRESHOLD_MS) this.lateStarts++;
  }

  finish(totalRequests: number): GeneratorRecord {
    this.loopDelay.disable();
    const cpu = process.cpuUsage(this.cpuStart);
    const wallUs = Number(process.hrtime.bigint() - this.wallStart) / 1000;
    const cpuCores = wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0;
    const delayMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
    const p99 = this.loopDelay.count > 0 ? delayMs(this.loopDelay.percentile(99)) : 0;
    const max = this.loopDelay.count > 0 ? delayMs(this.loopDelay.max) : 0;
    const lateFraction = totalRequests > 0 ? this.lateStarts / totalRequests : 0;
    const reasons: string[] = [];
    if (p99 > MAX_EVENT_LOOP_P99_MS) {
      reasons.push(`the generator's event loop was blocked (p99 delay ${p99.toFixed(0)} ms, limit ${MAX_EVENT_LOOP_P99_MS} ms)`);
    }
    if (lateFraction > MAX_LATE_FRACTION) {
      const busy = cpuCores >= BUSY_CORE_FRACTION ? ` while it used ${(cpuCores * 100).toFixed(0)}% of a core` : '';
      reasons.push(
        `${(lateFraction * 100).toFixed(1)}% of requests started more than ${LATE_THRESHOLD_MS} ms late${busy}: the generator could not keep up`,
      );
    }
    return {
      valid: reasons.length === 0,
      reasons,
      eventLoopDelayP99Ms: round(p99),
      eventLoopDelayMaxMs: round(max),
      lateStarts: this.lateStarts,
      lateThresholdMs: LATE_THRESHOLD_MS,
      cpuCores: round(cpuCores),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
