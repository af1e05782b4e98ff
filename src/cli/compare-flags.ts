import { withAllowedChange, type CompareOptions } from '../compare/compare-options.js';
import { CliError } from './cli-error.js';

/** The compare options with `--threshold PCT` and `--alpha A` applied over `base` (the profile's), each checked. */
export function flagOptions(base: CompareOptions, threshold: string | undefined, alpha: string | undefined): CompareOptions {
  let options: CompareOptions = { ...base };
  if (threshold !== undefined) {
    const pct = Number(threshold.replace(/%$/, ''));
    if (!Number.isFinite(pct) || pct <= 0 || pct >= 100) throw new CliError(`--threshold must be a percentage between 0 and 100, e.g. 10 (got "${threshold}")`);
    options = withAllowedChange(options, pct);
  }
  if (alpha !== undefined) {
    const a = Number(alpha);
    if (!Number.isFinite(a) || a <= 0 || a >= 0.5) throw new CliError(`--alpha must be a probability between 0 and 0.5, e.g. 0.05 (got "${alpha}")`);
    options.alpha = a;
  }
  return options;
}
