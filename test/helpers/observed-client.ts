import type { HttpClient, HttpRequest, OutcomeCallback } from '../../src/engine/http-client.js';

/**
 * A client between the engine and its pool that watches every request: when the engine handed it
 * over and when its outcome came back, on the process's monotonic clock (the one the engine and
 * the timed server read), and how many are in flight. The engine reads its clock just before it
 * sends and just as the outcome arrives, in the same synchronous calls, so its latency of a
 * request holds the time seen here and only its own few steps more.
 */
export interface ObservedClient extends HttpClient {
  /** Each finished request's time from send to outcome, milliseconds, in the order they finished. */
  readonly timesMs: number[];
  /** When each request was sent, ms on the monotonic clock (`nowMs()`), in the order sent. */
  readonly sentAtMs: number[];
  /** Requests sent whose outcome has not come back. */
  inFlight(): number;
  /** The most in flight at once. */
  peak(): number;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function observeClient(inner: HttpClient): ObservedClient {
  const timesMs: number[] = [];
  const sentAtMs: number[] = [];
  let inFlight = 0;
  let peak = 0;
  return {
    timesMs,
    sentAtMs,
    inFlight: () => inFlight,
    peak: () => peak,
    send(request: HttpRequest, done: OutcomeCallback, arm?: number): void {
      const sent = nowMs();
      sentAtMs.push(sent);
      inFlight++;
      if (inFlight > peak) peak = inFlight;
      inner.send(
        request,
        (outcome) => {
          timesMs.push(nowMs() - sent);
          inFlight--;
          done(outcome);
        },
        arm,
      );
    },
    close: () => inner.close(),
    destroy: () => inner.destroy(),
  };
}

/**
 * A test double of a mis-timing engine: every outcome reaches the engine `lateMs` after it came
 * back (as if the engine timed its own work after the response too), so each latency it records
 * is that much longer than the request took.
 */
export function lateOutcomes(inner: HttpClient, lateMs: number): HttpClient {
  return {
    send: (request, done, arm) => inner.send(request, (outcome) => void setTimeout(() => done(outcome), lateMs), arm),
    close: () => inner.close(),
    destroy: () => inner.destroy(),
  };
}
