import { lag1Autocorrelation } from '../stats/autocorrelation.js';
import { groupBlocks, usableP95s, type StepMeasurement } from './step-measurement.js';

/**
 * How long the analysis blocks of one step are. Records keep fine blocks (1 s by default); the
 * comparison chooses how many to take together:
 * - long enough that a block holds `minBlockRequests` latencies on average (a p95 of 5 requests
 *   says little);
 * - then doubled while the blocks' log p95s are materially autocorrelated (a slow second slows
 *   the next one too, and correlated blocks make batch means too confident), as long as ten
 *   blocks remain: a 10 s run keeps ten 1 s blocks.
 * Every run of a comparison then uses the longest length any of them needs (a common length, so
 * that the runs' block p95s are estimated alike), rounded to a multiple of every run's recorded
 * block.
 */

/** Lag-1 autocorrelation above which adjacent blocks are merged: it would understate the variance by over 20%. */
export const MATERIAL_AUTOCORRELATION = 0.2;
/** Blocks a merge must leave: below this, degrees of freedom cost more than the correlation does. */
export const TARGET_BLOCKS = 10;

/** Analysis block length for one run's step, ms. */
export function preferredBlockMs(measurement: StepMeasurement, minBlockRequests: number, minBlocks: number): number {
  const blocks = measurement.blocks.length;
  if (blocks === 0) return measurement.blockMs;
  let size = filledBlockSize(measurement, minBlockRequests);
  for (;;) {
    const next = size * 2;
    if (Math.floor(blocks / next) < Math.max(minBlocks, TARGET_BLOCKS)) break;
    const series = usableP95s(groupBlocks(measurement, size), minBlockRequests)
      .filter((p): p is number => p !== null)
      .map(Math.log);
    if (series.length < minBlocks || lag1Autocorrelation(series) <= MATERIAL_AUTOCORRELATION) break;
    size = next;
  }
  return size * measurement.blockMs;
}

/** Recorded blocks to take together so that a group holds `minBlockRequests` latencies on average. */
export function filledBlockSize(measurement: StepMeasurement, minBlockRequests: number): number {
  const blocks = measurement.blocks.length;
  if (blocks === 0) return 1;
  const perBlock = measurement.blocks.reduce((sum, b) => sum + b.latencies.total, 0) / blocks;
  return perBlock > 0 ? Math.min(blocks, Math.max(1, Math.ceil(minBlockRequests / perBlock))) : 1;
}

/** The common analysis length: the longest preferred one, a multiple of every recorded block length. */
export function commonBlockMs(preferredMs: readonly number[], recordedMs: readonly number[]): number {
  const unit = recordedMs.reduce((a, b) => lcm(a, b), 1);
  const longest = Math.max(unit, ...preferredMs);
  return Math.ceil(longest / unit) * unit;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}
