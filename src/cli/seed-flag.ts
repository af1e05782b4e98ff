import { MAX_SEED } from '../engine/iteration-random.js';
import { CliError } from './cli-error.js';

/** `--seed N`: a whole number that a record keeps exactly (0 to 4294967295). */
export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || seed > MAX_SEED) throw new CliError(`--seed must be a whole number from 0 to ${MAX_SEED} (got "${text}")`);
  return seed;
}
