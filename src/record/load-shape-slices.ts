import type { BlockWindow } from './run-record-types.js';

/**
 * The slices of a record's load shape (`RunRecord.loadShape`), as offsets from the start of the
 * run: the warm-up cut into blocks counted back from its end (the first may be shorter), then
 * the record's blocks, shifted by the warm-up.
 */

export function warmupSliceCount(warmupMs: number, blockMs: number): number {
  return warmupMs > 0 ? Math.ceil(warmupMs / blockMs - 1e-9) : 0;
}

export function loadShapeSlices(warmupMs: number, blockMs: number, blocks: readonly BlockWindow[]): BlockWindow[] {
  const count = warmupSliceCount(warmupMs, blockMs);
  const slices: BlockWindow[] = [];
  for (let k = count; k >= 1; k--) slices.push({ startMs: Math.max(0, warmupMs - k * blockMs), endMs: warmupMs - (k - 1) * blockMs });
  for (const block of blocks) slices.push({ startMs: warmupMs + block.startMs, endMs: warmupMs + block.endMs });
  return slices;
}
