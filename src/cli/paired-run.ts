import { writeFile } from 'node:fs/promises';
import { comparePaired } from '../compare/compare-paired.js';
import { parseDuration } from '../config/duration.js';
import type { Profile } from '../config/profile-types.js';
import { withoutCredentials } from '../config/shown-values.js';
import type { PairingSettings } from '../record/paired-layout.js';
import { pairedReportInput } from '../report/html/paired-report-input.js';
import { renderHtmlReport } from '../report/html/render-html-report.js';
import { pairedDroppedIterationLines } from '../record/dropped-iterations.js';
import { executePaired } from '../run/execute-paired.js';
import { CliError, EXIT } from './cli-error.js';
import { flagOptions } from './compare-flags.js';
import { writeOutputs } from './comparison-outputs.js';
import { exitCode } from './gate-exit-code.js';
import { formatComparisonTable } from './comparison-table.js';
import { outputColumns } from './terminal-width.js';
import type { RunIo } from '../run/run-io.js';
import { parseSeed } from './seed-flag.js';

export interface PairedRunFlags {
  'baseline-target': string;
  out?: string;
  json?: string;
  markdown?: string;
  html?: string;
  threshold?: string;
  alpha?: string;
  'pair-block'?: string;
  'pair-settle'?: string;
  'pair-order'?: string;
  seed?: string;
  /** Run the whole duration instead of stopping once decided. */
  fixed?: boolean;
  /** The most the run may take, when shorter than the profile. */
  'max-duration'?: string;
}

/**
 * `tailgate run --config F --target HEAD --baseline-target BASE`: paired mode. Runs the profile
 * against both in alternating blocks (stopping once the verdict is decided, unless `--fixed`),
 * writes the paired record, judges head against base and exits as `compare` does: 0 pass, 1 regression or a broken threshold, 2 could not run.
 */
export async function pairedRun(profile: Profile, flags: PairedRunFlags, io: RunIo, quiet: boolean): Promise<number> {
  const base = checkedUrl(flags['baseline-target']);
  const options = flagOptions(profile.regression, flags.threshold, flags.alpha);
  const maxDuration = maxDurationFlag(flags['max-duration']);
  const paired = await executePaired(profile, base, io, { quiet, pairing: pairingFlags(flags), compare: options, fixed: flags.fixed === true, ...(maxDuration ? { maxDuration } : {}) });
  if (flags.out) {
    await writeFile(flags.out, `${JSON.stringify(paired, null, 1)}\n`);
    io.logger.info(`paired record written to ${flags.out}`);
  }
  for (const line of pairedDroppedIterationLines(paired)) io.logger.warn(line);
  const comparison = comparePaired({ paired, options, thresholds: profile.thresholds });
  await writeOutputs(comparison, flags.json, flags.markdown);
  if (flags.html) {
    await writeFile(flags.html, renderHtmlReport(pairedReportInput(comparison, paired)));
    io.logger.info(`HTML report written to ${flags.html}`);
  }
  io.stdout.write(`${formatComparisonTable(comparison, outputColumns(io))}\n`);
  if (paired.head.meta.interrupted) return EXIT.couldNotRun;
  return exitCode(comparison, 'regression');
}

function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`--baseline-target must be a URL such as https://production.example.com (got "${withoutCredentials(text)}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--baseline-target must be an http or https URL (got "${withoutCredentials(text)}")`);
  if (url.username !== '' || url.password !== '') {
    throw new CliError(`--baseline-target must not carry a user name or password, which tailgate does not send (got "${withoutCredentials(text)}"); drop them, and send credentials in a header of the profile (defaults.headers.authorization)`);
  }
  return text;
}

/** --max-duration, checked: a duration; whether it leaves anything to measure is the profile's to say. */
function maxDurationFlag(text: string | undefined): { ms: number; name: string } | undefined {
  if (text === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    throw new CliError(`--max-duration must be a duration such as 45s or 2m (got "${text}")`);
  }
  return { ms, name: '--max-duration' };
}

/** The --pair-block, --pair-settle, --pair-order and --seed flags, checked. */
export function pairingFlags(flags: Pick<PairedRunFlags, 'pair-block' | 'pair-settle' | 'pair-order' | 'seed'>): Partial<PairingSettings> {
  const duration = (flag: 'pair-block' | 'pair-settle'): number | undefined => {
    const text = flags[flag];
    if (text === undefined) return undefined;
    try {
      return parseDuration(text);
    } catch {
      throw new CliError(`--${flag} must be a duration such as 5s or 500ms (got "${text}")`);
    }
  };
  const order = flags['pair-order'];
  if (order !== undefined && order !== 'abba' && order !== 'random') throw new CliError(`--pair-order must be abba or random (got "${order}")`);
  const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
  const blockMs = duration('pair-block');
  const settleMs = duration('pair-settle');
  return {
    ...(blockMs !== undefined ? { blockMs } : {}),
    ...(settleMs !== undefined ? { settleMs } : {}),
    ...(order !== undefined ? { order } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}
