import type { BlockTail, StepComparison } from './comparison-types.js';
import { hypergeometricUpperTail } from '../stats/binomial-test.js';

/**
 * The tail of blocks: a finding beside the gated p95, for what its trimmed mean cannot see. The
 * gated estimate is a 20%-trimmed mean of block p95s with bursts set aside, so a regression that
 * stalls a few whole blocks (a one-second garbage-collection pause every five seconds) is mostly
 * trimmed away. This counts the current run's blocks whose p95 is beyond the baseline's 95th
 * percentile of block p95s (the k-th smallest of its m usable blocks, k = ⌈0.95·m⌉) and tests the
 * count exactly: were the n current blocks exchangeable with the m baseline blocks, at least x of
 * them lie beyond that cut exactly when the x + m − k highest of all m + n blocks hold at least x
 * current ones, a hypergeometric tail. (A binomial test with each block's chance (m − k + 1)/(m + 1)
 * ignores that the cut is itself drawn, and found 8 to 12% of unchanged paired runs.) It is
 * reported, never gated; its rate on unchanged runs is measured in docs/gate.md.
 */

/** Fewer baseline blocks than this cannot place their 95th percentile. */
export const TAIL_MIN_BASELINE_BLOCKS = 20;
/** Fewer current blocks than this cannot show a share. */
export const TAIL_MIN_CURRENT_BLOCKS = 5;

export function blockTail(current: readonly (number | null)[], baseline: readonly (number | null)[], level: number): BlockTail | undefined {
  const base = baseline.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const now = current.filter((v): v is number => v !== null && Number.isFinite(v));
  if (base.length < TAIL_MIN_BASELINE_BLOCKS || now.length < TAIL_MIN_CURRENT_BLOCKS) return undefined;
  const m = base.length;
  const k = Math.ceil(0.95 * m);
  const cut = base[k - 1] as number;
  const chance = (m - k + 1) / (m + 1);
  const beyond = now.filter((v) => v > cut).length;
  const pValue = hypergeometricUpperTail(beyond, m + now.length, now.length, beyond + m - k);
  return {
    blocksBeyond: beyond,
    blocks: now.length,
    baselineBlockP95Ms: Math.round(cut * 1000) / 1000,
    expectedShare: Math.round(chance * 10000) / 10000,
    pValue: Number(pValue.toPrecision(3)),
    finding: pValue < level,
  };
}

/**
 * Each counted step's tail of blocks, its finding at α spread over the steps that had one
 * (Bonferroni: the findings are few, and never gate). `blocks(i)` gives step i's current and
 * baseline block p95s.
 */
export function withTails(steps: readonly StepComparison[], blocks: (index: number) => { current: readonly (number | null)[]; baseline: readonly (number | null)[] }, alpha: number): StepComparison[] {
  const tails = steps.map((step, i) => {
    if (!step.counted) return undefined;
    const { current, baseline } = blocks(i);
    return blockTail(current, baseline, 0);
  });
  const tested = tails.filter((t) => t !== undefined).length;
  return steps.map((step, i) => {
    const tail = tails[i];
    return tail === undefined ? step : { ...step, tail: { ...tail, finding: tail.pValue < alpha / tested } };
  });
}
