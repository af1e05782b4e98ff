import { closest } from '../config/did-you-mean.js';
import { IMPORT_FORMATS, type ImportFormat } from '../import/imported-line.js';
import { InputError, showValue } from './input-error.js';

/** `results-format`: a format `tailgate import --from` takes, or `auto` to tell it from the file. */
export const RESULTS_FORMATS = ['auto', ...IMPORT_FORMATS] as const;

/** Another load tool's results file the step imports instead of running its own load (`results`). */
export interface ResultsInput {
  /** As written in the workflow; read relative to the workspace. */
  path: string;
  /** Undefined: told from the file's first lines (`results-format: auto`). */
  format: ImportFormat | undefined;
  /** The record's profile id (`results-profile`); undefined: the tool's name. */
  profileId: string | undefined;
}

/** What the three inputs hold as given (trimmed, `results-format` defaulted), and those they cannot go with. */
export interface RawResultsInputs {
  results: string;
  'results-format': string;
  'results-profile': string;
  'baseline-url': string;
  shard: string;
  mode: string;
}

/**
 * `results`, `results-format` and `results-profile`: an imported run replaces the step's own
 * load, so it goes with no input that shapes a load (a paired run, a shard) and no mode that
 * measures nothing; the two others mean nothing without it.
 */
export function parseResultsInputs(raw: RawResultsInputs): ResultsInput | undefined {
  const formatText = raw['results-format'];
  const format = RESULTS_FORMATS.find((f) => f === formatText);
  if (format === undefined) {
    const guess = closest(formatText, RESULTS_FORMATS);
    throw new InputError('results-format', `must be one of ${RESULTS_FORMATS.join(', ')} (got ${showValue(formatText)})${guess ? `; did you mean ${guess}?` : ''}`);
  }
  const profile = raw['results-profile'];
  if (raw.results === '') {
    if (format !== 'auto') throw new InputError('results-format', `says the format of the results file, and there is no results input (got ${showValue(formatText)}): set results to the file's path, or remove results-format`);
    if (profile !== '') throw new InputError('results-profile', `names the profile of an imported results file, and there is no results input (got ${showValue(profile)}): set results to the file's path, or remove results-profile`);
    return undefined;
  }
  if (raw['baseline-url'] !== '') {
    throw new InputError(
      'results',
      `imports a run another tool measured, and baseline-url asks tailgate to measure a paired run against ${showValue(raw['baseline-url'])}: the two cannot go together. Remove baseline-url to gate the imported run against its stored baseline, or remove results to run the paired comparison`,
    );
  }
  if (raw.shard !== '') throw new InputError('results', `imports a whole run another tool measured, and shard splits tailgate's own load over jobs (got shard ${showValue(raw.shard)}): remove shard`);
  if (raw.mode === 'merge' || raw.mode === 'report') {
    throw new InputError('results', `imports a run to record or compare, which mode: ${raw.mode} does not do: use mode: auto, compare or baseline, or remove results`);
  }
  if (profile !== '' && profile.length > 200) throw new InputError('results-profile', `must be 1 to 200 characters (got ${profile.length})`);
  return { path: raw.results, format: format === 'auto' ? undefined : format, profileId: profile === '' ? undefined : profile };
}
