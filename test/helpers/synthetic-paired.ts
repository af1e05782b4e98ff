import { pairOrder } from '../../src/record/paired-layout.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../../src/record/paired-record-types.js';
import { buildRunRecord, syntheticBlocks } from '../compare/record-builder.js';
import { seededRandom } from '../compare/seeded-random.js';

/**
 * A paired record built in code: `pairs` ABBA pairs of 1 s blocks (no settle), each arm's blocks
 * log-normal latencies around 40 ms sharing a drift over time (what pairing cancels); the head's
 * latencies times `headScale`, and times `1 + trend·i` in its i-th block (a drift of its own).
 */
export function syntheticPaired(options: { seed: number; pairs?: number; headScale?: number; trend?: number; sharedDrift?: number }): PairedRecord {
  const pairs = options.pairs ?? 12;
  const random = seededRandom(options.seed);
  const order = pairOrder(2 * pairs, { order: 'abba', seed: 1 });
  const blocks = { head: [] as ReturnType<typeof syntheticBlocks>, base: [] as ReturnType<typeof syntheticBlocks> };
  order.forEach((arm, i) => {
    // A slow swing both arms share, and a random level per block.
    const shared = Math.exp((options.sharedDrift ?? 0.1) * Math.sin(i / 4));
    const armBlock = arm === 'head' ? blocks.head.length : blocks.base.length;
    const scale = shared * (arm === 'head' ? (options.headScale ?? 1) * (1 + (options.trend ?? 0) * armBlock) : 1);
    blocks[arm].push(...syntheticBlocks(random, { blocks: 1, requestsPerBlock: 100, scale, blockDrift: 0.02 }));
  });
  const run = (arm: 'head' | 'base') => {
    const record = buildRunRecord({ steps: { list: blocks[arm] }, blockMs: 1000 });
    return { ...record, meta: { ...record.meta, target: `http://127.0.0.1:${arm === 'head' ? 3001 : 3000}` } };
  };
  return { schema: PAIRED_SCHEMA, meta: { pairing: { order: 'abba', seed: 1, blockMs: 1000, settleMs: 0, excludedRequests: 0 } }, order, head: run('head'), base: run('base') };
}

