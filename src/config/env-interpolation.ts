import type { FieldPath } from './config-error.js';
import { quote, type EnvironmentValue } from './echo.js';
import { MASK } from './shown-values.js';

/**
 * `${VAR}` and `${VAR:-default}` in string values, filled from the environment after YAML parsing
 * (so a value holding quotes or colons cannot break the YAML). `$${` writes a literal `${`.
 * As in the shell, the default also stands in for a variable that is set but empty.
 * Keys are never interpolated. The runner's own variables (its tokens and settings) are never read.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationProblem {
  path: FieldPath;
  message: string;
  fix: string;
}

export interface InterpolatedString {
  value: string;
  /** The value as it may be shown: each part from the environment as `***` (defaults as written). */
  shown: string;
  /** Values taken from the environment (not defaults), in order of use. */
  fromEnv: string[];
  /** The same values with the variables they came from. */
  environment: EnvironmentValue[];
  problems: Array<Omit<InterpolationProblem, 'path'>>;
}

const PLACEHOLDER_BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * The runner's variables: its credentials (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`,
 * `GITHUB_TOKEN`), its settings and the step's inputs. A profile may come from a pull request, and
 * what it reads goes to the target: these are never read, whatever the case (Windows ignores it).
 */
const RUNNER_VARIABLE = /^(?:ACTIONS_|RUNNER_|INPUT_)|^GITHUB_TOKEN$/i;

/** Whether `name` is a variable of the runner, which no profile may read. */
export function isRunnerVariable(name: string): boolean {
  return RUNNER_VARIABLE.test(name);
}

export function interpolateString(text: string, env: Env): InterpolatedString {
  const result: InterpolatedString = { value: '', shown: '', fromEnv: [], environment: [], problems: [] };
  const add = (value: string, shown = value): void => {
    result.value += value;
    result.shown += shown;
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      add('${');
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      add(text[i] as string);
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close === -1) {
      result.problems.push({
        message: `"\${" is not closed (in ${quote(text)})`,
        fix: 'write ${NAME} or ${NAME:-default}; write $${ for a literal ${',
      });
      add(text.slice(i));
      break;
    }
    const inner = text.slice(i + 2, close);
    const match = PLACEHOLDER_BODY.exec(inner);
    if (!match) {
      result.problems.push({
        message: `${quote(`\${${inner}}`)} is not an environment variable reference`,
        fix: 'write ${NAME} or ${NAME:-default} (NAME: letters, digits and _); write $${ for a literal ${',
      });
    } else {
      const name = match[1] as string;
      const fallback = match[2];
      const value = env[name];
      if (isRunnerVariable(name)) {
        result.problems.push({
          message: `reads \${${name}}, a variable of the runner (its own credentials and settings), which a profile may never read`,
          fix: `pass the value through a variable of your own, from a secret: in the workflow step, env: { API_TOKEN: \${{ secrets.API_TOKEN }} }, and write \${API_TOKEN} here`,
        });
      } else if (value !== undefined && (value !== '' || fallback === undefined)) {
        add(value, value === '' ? '' : MASK);
        result.fromEnv.push(value);
        result.environment.push({ name, value });
      } else if (fallback !== undefined) {
        add(fallback);
      } else {
        result.problems.push({
          message: `environment variable ${name} is not set`,
          fix: `set ${name} in the environment (in a workflow: env: { ${name}: ... }), or give a default: \${${name}:-value}`,
        });
      }
    }
    i = close + 1;
  }
  return result;
}

export interface InterpolatedTree {
  value: unknown;
  /** A string field as it may be shown, every part from the environment as `***`; undefined when it holds none. */
  shownAt: (path: FieldPath) => string | undefined;
  /** Every environment value placed into a string, with the field it went to: all are secrets wherever shown. */
  placed: Array<{ path: FieldPath; value: string }>;
  /** Every environment value placed anywhere, with its variable: messages name the variable instead. */
  environment: EnvironmentValue[];
  problems: InterpolationProblem[];
  /** Fields written as one whole reference (`rate: ${RATE}`): a number field may read them as numbers. */
  wholeReferences: FieldPath[];
  /** Of those, the ones filled from the environment (not from a default), with their variable. */
  environmentFields: Array<{ path: FieldPath; name: string }>;
}

const WHOLE_REFERENCE = /^\$\{[^}]*\}$/;

/**
 * Interpolates every string scalar in a parsed YAML value. `skip` leaves a field as written
 * (the file's `target` when the command line gives one).
 */
export function interpolateTree(value: unknown, env: Env, skip: (path: FieldPath) => boolean = () => false): InterpolatedTree {
  const placed: Array<{ path: FieldPath; value: string }> = [];
  const environment = new Map<string, EnvironmentValue>();
  const problems: InterpolationProblem[] = [];
  const wholeReferences: FieldPath[] = [];
  const environmentFields: Array<{ path: FieldPath; name: string }> = [];
  const shownOf = new Map<string, string>();
  const walk = (node: unknown, path: FieldPath): unknown => {
    if (skip(path)) return node;
    if (typeof node === 'string') {
      const result = interpolateString(node, env);
      if (result.shown !== result.value) shownOf.set(JSON.stringify(path), result.shown);
      for (const value of result.fromEnv) if (value !== '') placed.push({ path, value });
      for (const problem of result.problems) problems.push({ path, ...problem });
      if (WHOLE_REFERENCE.test(node)) {
        wholeReferences.push(path);
        const use = result.environment[0];
        if (use !== undefined) environmentFields.push({ path, name: use.name });
      }
      for (const use of result.environment) environment.set(`${use.name}=${use.value}`, use);
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  const walked = walk(value, []);
  const shownAt = (path: FieldPath): string | undefined => shownOf.get(JSON.stringify(path));
  return { value: walked, shownAt, placed, environment: [...environment.values()], problems, wholeReferences, environmentFields };
}

/**
 * The environment values that stay text in the profile (a `${RATE}` read as a number is no
 * name, URL or message part): each is a secret wherever it could be shown. A value that is an
 * http(s) URL is also a secret in the forms a connection names it: its `host:port` (the port the
 * scheme implies when it gives none, as a proxy's answer to CONNECT quotes it) and its host.
 */
export function textSecrets(placed: InterpolatedTree['placed'], value: unknown): string[] {
  const at = (path: FieldPath): unknown =>
    path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), value);
  const values = placed.filter((use) => typeof at(use.path) === 'string').map((use) => use.value);
  return [...new Set([...values, ...values.flatMap(authorities)])];
}

/** The `host:port` and host of an http(s) URL, as a connection names its target; nothing for other text. */
function authorities(text: string): string[] {
  const url = URL.parse(text.trim());
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return [];
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return [`${url.hostname}:${port}`, url.hostname];
}
