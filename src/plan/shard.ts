import type { ExecutorSpec, Stage } from '../config/profile-types.js';

/** One shard of a load split across `count` generators (`shard: index/count`, 1-based). */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard | Error {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    return new Error(`shard must be "i/n" with 1 <= i <= n, e.g. 2/4 (got "${text}")`);
  }
  return { index, count };
}

/**
 * This shard's share of an executor. Rates divide exactly; whole VUs divide as evenly as they
 * can, the remainder going to the first shards, so the shards add up to the whole load.
 */
export function shardExecutor(spec: ExecutorSpec, shard: Shard): ExecutorSpec {
  if (shard.count === 1) return spec;
  const share = (n: number): number => Math.floor(n / shard.count) + (shard.index <= n % shard.count ? 1 : 0);
  const shareCeil = (n: number): number => Math.max(1, Math.ceil(n / shard.count));
  const stages = (list: Stage[], divide: (n: number) => number): Stage[] =>
    list.map((s) => ({ durationMs: s.durationMs, target: divide(s.target) }));
  const rate = (n: number): number => n / shard.count;
  switch (spec.type) {
    case 'constant-vus':
      return { ...spec, vus: share(spec.vus) };
    case 'shared-iterations':
      return { ...spec, vus: share(spec.vus), iterations: share(spec.iterations) };
    case 'per-vu-iterations':
      return { ...spec, vus: share(spec.vus) };
    case 'ramping-vus':
      return { ...spec, startVUs: share(spec.startVUs), stages: stages(spec.stages, share) };
    case 'constant-arrival-rate':
      return { ...spec, rate: rate(spec.rate), preAllocatedVUs: shareCeil(spec.preAllocatedVUs), maxVUs: shareCeil(spec.maxVUs) };
    case 'ramping-arrival-rate':
      return {
        ...spec,
        startRate: rate(spec.startRate),
        stages: stages(spec.stages, rate),
        preAllocatedVUs: shareCeil(spec.preAllocatedVUs),
        maxVUs: shareCeil(spec.maxVUs),
      };
  }
}

/**
 * The longest a shard waits for the start it shares with the others (`--start-at`,
 * `shard-start`). A start further ahead is taken for a mistake (a wrong zone, a wrong day)
 * rather than waited for.
 */
export const MAX_START_WAIT_MS = 10 * 60_000;

/**
 * A common start time: an ISO 8601 time with its zone (`2026-12-02T12:00:00Z`), or Unix time in
 * seconds (`1796212800`, what `date +%s` prints). A time without a zone is refused: each runner
 * would read it in its own.
 */
export function parseStartAt(text: string): Date | Error {
  const value = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const unix = /^\d{9,10}(\.\d+)?$/.test(value);
  const ms = iso ? Date.parse(value) : unix ? Math.round(Number(value) * 1000) : Number.NaN;
  if (Number.isNaN(ms)) {
    return new Error(`must be an ISO time with its zone, like 2026-12-02T12:00:00Z, or Unix seconds, like 1796212800 (got "${text}")`);
  }
  return new Date(ms);
}

/** How a shard meets its start: the time it waits, or how late it already is. */
export interface StartWait {
  waitMs: number;
  lateMs: number;
}

/** What waiting for `at` means at `now`: a wait within `maxWaitMs`, a late start, or an Error for a start too far ahead. */
export function startWait(at: Date, now: Date, maxWaitMs = MAX_START_WAIT_MS): StartWait | Error {
  const aheadMs = at.getTime() - now.getTime();
  if (aheadMs > maxWaitMs) {
    return new Error(
      `is ${seconds(aheadMs)} ahead (${at.toISOString()}, now ${now.toISOString()}), more than the ${seconds(maxWaitMs)} a shard waits: give a start a little after the shard jobs begin (e.g. $(( $(date +%s) + 90 )) computed once for all of them)`,
    );
  }
  return { waitMs: Math.max(0, aheadMs), lateMs: Math.max(0, -aheadMs) };
}

/** The clock and sleeper a wait uses; the real ones in the CLI and the Action, fakes in tests. */
export interface StartClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/**
 * Waits for the common start; returns how it went, or an Error (nothing waited) for a start too
 * far ahead. A shard already late starts at once: the merge judges how far the shards overlap.
 */
export async function waitForStart(at: Date, clock: StartClock, maxWaitMs = MAX_START_WAIT_MS, onWait?: (ms: number) => void): Promise<StartWait | Error> {
  const wait = startWait(at, clock.now(), maxWaitMs);
  if (wait instanceof Error || wait.waitMs === 0) return wait;
  onWait?.(wait.waitMs);
  await clock.sleep(wait.waitMs);
  return wait;
}

/** A late start worth a warning (a second or more): in words, naming the start. */
export function lateStartWarning(at: Date, wait: StartWait, flag: string): string | undefined {
  if (wait.lateMs < 1000) return undefined;
  return `this shard starts ${seconds(wait.lateMs)} after ${flag} ${at.toISOString()}: the shards overlap less, and tailgate merge refuses shards whose measured periods overlap less than 80%; give a start further ahead`;
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`;
}
