import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import type { ReadDataFile } from './data-files.js';
import { isAllowedUrl } from './allowed-hosts.js';
import { interpolateString, interpolateTree, textSecrets, type Env } from './env-interpolation.js';
import { checkHeaderValues } from './header-values.js';
import { buildProfile } from './build-profile.js';
import { Problems } from './problems.js';
import type { RawProfile } from './raw-profile.js';
import type { Profile } from './profile-types.js';
import { checkSchema, readReferencedNumbers } from './schema-errors.js';
import { withoutCredentials } from './shown-values.js';
import { checkProfileSize, parseYaml, type YamlSource } from './yaml-source.js';

/**
 * Reads a profile: YAML (every node keeps its line) -> `${VAR}` from the environment -> JSON schema
 * -> cross-field checks and hard caps -> a Profile with defaults applied. Every problem found is
 * reported at once, as a ConfigError naming file, line, field and fix.
 */

export { DEFAULT_BLOCK_MS, DEFAULT_TIMEOUT_MS, MAX_RUN_MS } from './build-profile.js';
export { DEFAULT_GRACEFUL_MS, MAX_RATE_PER_SECOND, MAX_VUS } from './scenario-config.js';
export { EXECUTORS, HTTP_METHODS } from './profile-types.js';

export interface LoadOptions {
  env: Env;
  /** Target from the command line or the action input; replaces the file's `target` unread. */
  target?: string;
  /**
   * Set when no one in the workflow wrote `target` (a deployment's URL from the event): it is
   * loaded only when its origin is the file's own target's or a host of `allowedHosts`.
   * `source` names it in the message (`the deployment's environment_url`).
   */
  targetFromEvent?: { source: string; allowedHosts: readonly string[] };
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
    // A file larger than a profile may be is refused before it is read into memory.
    const info = await stat(file);
    if (info.isFile()) checkProfileSize(info.size, file);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
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
  if (options.target !== undefined && options.targetFromEvent !== undefined) checkEventTarget(source, options.target, options.targetFromEvent, options.env, problems);

  readReferencedNumbers(interpolated.value, interpolated.wholeReferences);
  checkSchema(interpolated.value, problems);
  checkHeaderValues(source.value, interpolated.value, problems);
  problems.throwIfAny();

  const secrets = textSecrets(interpolated.placed, interpolated.value);
  const allowedHosts = options.targetFromEvent?.allowedHosts;
  const profile = buildProfile(interpolated.value as RawProfile, { ...options, ...(allowedHosts ? { allowedHosts } : {}) }, secrets, interpolated.shownAt, problems);
  problems.throwIfAny();
  return profile;
}

/**
 * A target from an event goes where the profile's headers would follow it: refused unless its
 * origin is the file's own target's (as the environment fills it in) or `allowed-hosts` lists its host.
 */
function checkEventTarget(source: YamlSource, target: string, from: NonNullable<LoadOptions['targetFromEvent']>, env: Env, problems: Problems): void {
  const written = (source.value as { target?: unknown }).target;
  const own = typeof written === 'string' ? interpolateString(written, env) : undefined;
  const ownTarget = own !== undefined && own.problems.length === 0 ? own.value.trim() : undefined;
  const url = URL.parse(target.trim());
  // A URL that is no plain http(s) URL is refused with the target's own rules, later.
  if (url === null || url.username !== '' || url.password !== '' || isAllowedUrl(target.trim(), { ...(ownTarget ? { target: ownTarget } : {}), hosts: from.allowedHosts })) return;
  const host = url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
  problems.addOutside(
    'target',
    `${from.source} ${withoutCredentials(url.origin)} is neither the origin of the profile's target nor a host of the allowed-hosts input, so it is not loaded: its requests would carry the profile's headers and values from the environment`,
    `if this deployment is yours, allow its host in the step: with: { allowed-hosts: ${host} } (*.example.com allows every subdomain of example.com), or write its origin as the profile's target`,
  );
}
