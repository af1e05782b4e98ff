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
