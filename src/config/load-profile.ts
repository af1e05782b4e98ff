import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import type { ReadDataFile } from './data-files.js';
import { interpolateTree, type Env } from './env-interpolation.js';
import { checkHeaderValues } from './header-values.js';
import { buildProfile, type RawProfile } from './profile-checks.js';
import { Problems } from './problems.js';
import type { Profile } from './profile-types.js';
import { checkSchema, readReferencedNumbers } from './schema-errors.js';
import { parseYaml } from './yaml-source.js';

/**
 * Reads a profile: YAML (every node keeps its line) -> `${VAR}` from the environment -> JSON schema
 * -> cross-field checks and hard caps -> a Profile with defaults applied. Every problem found is
 * reported at once, as a ConfigError naming file, line, field and fix.
 */

export {
  DEFAULT_BLOCK_MS,
  DEFAULT_GRACEFUL_MS,
  DEFAULT_TIMEOUT_MS,
  MAX_RATE_PER_SECOND,
  MAX_RUN_MS,
  MAX_VUS,
} from './profile-checks.js';
export { EXECUTORS, HTTP_METHODS } from './profile-types.js';

export interface LoadOptions {
  env: Env;
  /** Target from the command line or the action input; replaces the file's `target` unread. */
  target?: string;
  /** Reads the profile's data files (default: from disk, relative to the profile's folder). */
  readDataFile?: ReadDataFile;
}

export interface ParseOptions extends LoadOptions {
  /** Name used in messages and for the default profile id. */
  file: string;
}

export async function loadProfile(file: string, options: LoadOptions): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const fix =
      code === 'ENOENT'
        ? `check the path given to --config or the config input (relative to ${process.cwd()}), e.g. tailgate.yml`
        : code === 'EISDIR'
          ? 'give the path of the YAML file, not of its folder'
          : 'make the file readable by the user running tailgate';
    throw new ConfigError({ file, field: '', message: `cannot read the config file ${resolve(file)} (${code})`, fix });
  }
  return parseProfile(text, { ...options, file });
}

export function parseProfile(text: string, options: ParseOptions): Profile {
  const source = parseYaml(text, options.file);
  const problems = new Problems(source);

  const overridden = options.target !== undefined;
  const interpolated = interpolateTree(source.value, options.env, (path) => overridden && path.length === 1 && path[0] === 'target');
  problems.hideEnvironmentValues(interpolated.environment);
  problems.hideEnvironmentFields(interpolated.environmentFields);
  for (const p of interpolated.problems) problems.add(p.path, p.message, p.fix);
  problems.throwIfAny();

  readReferencedNumbers(interpolated.value, interpolated.wholeReferences);
  checkSchema(interpolated.value, problems);
  checkHeaderValues(source.value, interpolated.value, problems);
  problems.throwIfAny();

  const profile = buildProfile(interpolated.value as RawProfile, options, interpolated.secrets, problems);
  problems.throwIfAny();
  return profile;
}
