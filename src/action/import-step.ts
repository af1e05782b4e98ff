import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Profile } from '../config/profile-types.js';
import { ImportError } from '../import/import-error.js';
import { importRun } from '../import/import-run.js';
import type { RunRecord } from '../record/run-record-types.js';
import { TOOL_VERSION } from '../version.js';
import type { ActionIo } from './action-io.js';
import { InputError } from './input-error.js';
import type { ResultsInput } from './results-input.js';

/**
 * `results:`: the step imports the file another load tool wrote (as `tailgate import` does)
 * instead of running a profile's load, then records or compares it as it would its own run. The
 * path is read relative to the workspace; a path that names nothing, or nothing readable, fails
 * the step naming the input, the path and the fix. Returns the record and the profile it is
 * judged under: the imported run's, with no load, no thresholds and the default regression
 * settings (the `threshold` and `alpha` inputs apply).
 */
export async function importStep(results: ResultsInput, io: Pick<ActionIo, 'env' | 'logger'>): Promise<{ record: RunRecord; profile: Profile }> {
  const file = isAbsolute(results.path) ? results.path : resolve(io.env.workspace ?? process.cwd(), results.path);
  await checkReadable(results.path, file);
  let imported;
  try {
    imported = await importRun({
      file: results.path,
      open: () => createReadStream(file),
      from: results.format,
      profileId: results.profileId,
      tailgateVersion: TOOL_VERSION,
      formatFix: (detected) => `set results-format: ${detected}, or results-format: auto to let tailgate tell`,
    });
  } catch (error) {
    if (error instanceof ImportError) throw new InputError('results', `could not be imported: ${error.message}`);
    throw error;
  }
  for (const note of imported.notes) io.logger.warn(`${results.path}: ${note}`);
  const { record } = imported;
  io.logger.info(
    `results: imported ${record.overall.requests} requests of ${Object.keys(record.steps).length} steps from ${results.path} (${imported.format}) as profile ${record.meta.profile.id}; ` +
      `${record.meta.source?.tool ?? 'the tool'}'s own load generator was not checked by tailgate's self-check`,
  );
  return { record, profile: importedProfile(record) };
}

/** A path that names no file, or one this step cannot read, is the workflow's mistake: said before any reading. */
async function checkReadable(given: string, file: string): Promise<void> {
  const where = given === file ? given : `${given} (${file})`;
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError('results', `names ${where}, which does not exist. Fix: write the file in an earlier step of this job (the load tool's run, e.g. k6 run --out json=${given}) and give its path relative to the workspace`);
    }
    throw new InputError('results', `names ${where}, which cannot be read (${code ?? String(error)}). Fix: give the path of a results file this job can read`);
  }
  if (!isFile) throw new InputError('results', `names ${where}, which is not a file. Fix: give the path of the results file itself (results.json, results.jtl), not its folder`);
}

/**
 * What an imported run is judged under: its own profile id, no load (another tool ran it), no
 * absolute thresholds and the default regression settings. Its hash is not the record's, so the
 * comparison takes the planned time from the baseline runs, as for any record without its profile.
 */
export function importedProfile(record: RunRecord): Profile {
  return {
    id: record.meta.profile.id,
    file: `(imported by ${record.meta.source?.tool ?? 'another tool'})`,
    target: 'http://import.invalid',
    headers: {},
    timeoutMs: 0,
    maxCaptureBodyBytes: 0,
    warmupMs: record.meta.warmupMs,
    blockMs: record.meta.blockMs,
    scenarios: [],
    journeys: [],
    thresholds: [],
    regression: {},
    secrets: [],
  };
}
