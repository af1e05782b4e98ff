import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockSeries } from '../../src/analyze/block-series.js';
import { analyzeCapacity } from '../../src/analyze/capacity.js';
import type { HttpClient } from '../../src/engine/http-client.js';
import { profileWith } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { startSlotServer, type SlotServer } from '../helpers/slot-server.js';
import { arrivalStaircase } from '../helpers/staircase.js';

/**
 * A real stress run on loopback: an arrival-rate staircase from 40% to 160% of a target of known
 * capacity (slots × 100 ms, one first-come queue), 6 flat steps of 3 s in blocks of 500 ms, for
 * two capacities: 50 and 100 requests a second. Below capacity nothing waits; above it the queue
 * grows at the excess rate until the VU pool runs out. On a busy machine the target serves less
 * than its nominal rate, and less or more from one second to the next, as its timers fire late;
 * so the truth is taken from what it did where it broke: the rate it answered while requests
 * waited for a slot (more in flight than it has slots, seen from the client) in the level it
 * broke at. The sustainable rate found must lie within 10% of that. About 20 s a target; run by
 * hand (`npm run validate -- capacity`), its figures in docs/analyze.md ("Real load on loopback").
 * `npm test` keeps a short run of the same pipeline (capacity-run.test.ts).
 */

const SERVICE_MS = 100;
const STEP_MS = 3000;
const WARMUP_MS = 1000;
const SHARES = [0.4, 0.64, 0.88, 1.12, 1.36, 1.6];

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Watches requests in flight between the engine and its pool. While more are in flight than the
 * target has slots, requests wait in its queue and it serves flat out: the rate of answers in
 * those stretches is its capacity at that time.
 */
class SaturationWatch {
  private inFlight = 0;
  private since: number | undefined;
  private readonly stretches: Array<[number, number]> = [];
  private readonly answers: number[] = [];
  firstSendMs: number | undefined;

  constructor(private readonly slots: number) {}

  wrap(inner: HttpClient): HttpClient {
    return {
      send: (request, done, arm) => {
        const at = nowMs();
        this.firstSendMs ??= at;
        this.inFlight++;
        this.update(at);
        inner.send(
          request,
          (outcome) => {
            const end = nowMs();
            if (this.inFlight > this.slots) this.answers.push(end);
            this.inFlight--;
            this.update(end);
            done(outcome);
          },
          arm,
        );
      },
      close: () => inner.close(),
      destroy: () => inner.destroy(),
    };
  }

  private update(at: number): void {
    const saturated = this.inFlight > this.slots;
    if (saturated && this.since === undefined) this.since = at;
    if (!saturated && this.since !== undefined) {
      this.stretches.push([this.since, at]);
      this.since = undefined;
    }
  }

  /** Answers a second while saturated, between `from` and `to` (ms, this clock), and the saturated time there. */
  rate(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): { rps: number; saturatedMs: number } {
    const saturatedMs = this.stretches.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);
    const answers = this.answers.filter((t) => t >= from && t <= to).length;
    return { rps: saturatedMs > 0 ? (answers * 1000) / saturatedMs : Number.NaN, saturatedMs };
  }
}

describe.each([
  { slots: 5, capacity: 50 },
  { slots: 10, capacity: 100 },
])('the breaking point of a real target of $capacity requests a second', ({ slots, capacity }) => {
  let server: SlotServer;

  beforeAll(async () => {
    server = await startSlotServer(slots, SERVICE_MS);
  });

  afterAll(async () => {
    await server.close();
  });

  it('finds the sustainable rate within 10% of what it served flat out where it broke', async () => {
    expect(server.capacityRps).toBe(capacity);
    const { startRate, stages } = arrivalStaircase(SHARES, capacity, STEP_MS, WARMUP_MS);
    const watch = new SaturationWatch(slots);
    const record = await runProfile(
      profileWith({
        target: server.url,
        warmupMs: WARMUP_MS,
        blockMs: 500,
        scenarios: [{ executor: { type: 'ramping-arrival-rate', startRate, timeUnitMs: 1000, stages, preAllocatedVUs: 2 * slots, maxVUs: capacity } }],
      }),
      { wrapHttp: (pool) => watch.wrap(pool) },
    );
    const series = blockSeries(record);
    const answer = analyzeCapacity(series, {});
    expect(answer).toBeDefined();
    const levels = answer?.levels ?? [];
    expect(levels.map((l) => Math.round(l.offered))).toEqual(SHARES.map((share) => Math.round(share * capacity)));
    const sustainable = answer?.sustainableRps;
    // The truth: what the target served flat out while it broke (the level it broke at), or over
    // the whole run when it was rarely saturated there.
    const overall = watch.rate();
    const breaking = levels[answer?.breakingLevel ?? -1];
    const measuredStart = (watch.firstSendMs ?? 0) + WARMUP_MS;
    const atBreak = breaking ? watch.rate(measuredStart + breaking.startMs, measuredStart + breaking.endMs) : undefined;
    const truth = atBreak && breaking && atBreak.saturatedMs > 0.3 * (breaking.endMs - breaking.startMs) ? atBreak.rps : overall.rps;
    console.log(
      `capacity ${capacity}/s, served flat out ${truth.toFixed(1)}/s where it broke (${overall.rps.toFixed(1)}/s over the run): sustainable ${sustainable?.estimate.toFixed(1)} (${sustainable?.low.toFixed(1)}–${sustainable?.high.toFixed(1)}), limited by ${answer?.limitedBy}; ` +
        levels.map((l) => `${Math.round(l.offered)}:${l.keptUp ? 'ok' : 'no'} ${l.achievedRps.toFixed(0)}/s p95 ${l.p95Ms?.toFixed(0)} ms${l.servedRps === undefined ? '' : ` served ${l.servedRps.toFixed(0)}`} ${l.reasons.join('/')}`).join(', '),
    );
    expect(sustainable?.estimate).toBeGreaterThan(0.9 * truth);
    expect(sustainable?.estimate).toBeLessThan(1.1 * truth);
    // What it served flat out is below its nominal capacity (a busy machine's timers fire late), not far below.
    expect(overall.rps).toBeGreaterThan(0.5 * capacity);
    expect(overall.rps).toBeLessThan(1.02 * capacity);
    // It broke inside the staircase, and not at the lowest step.
    expect(answer?.atLeast).toBe(false);
    expect(levels[0]?.keptUp).toBe(true);
    expect(levels[levels.length - 1]?.keptUp).toBe(false);
    expect(answer?.limitedBy).toBeDefined();
    // The queue was real: the target had requests waiting.
    expect((await server.stats()).maxQueue).toBeGreaterThan(slots);
  }, 45_000);
});
