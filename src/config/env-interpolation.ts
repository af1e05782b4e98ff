import type { FieldPath } from './config-error.js';
import { quote, type EnvironmentValue } from './echo.js';

/**
 * `${VAR}` and `${VAR:-default}` in string values, filled from the environment after YAML parsing
 * (so a value holding quotes or colons cannot break the YAML). `$${` writes a literal `${`.
 * As in the shell, the default also stands in for a variable that is set but empty.
 * Keys are never interpolated.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationProblem {
  path: FieldPath;
  message: string;
  fix: string;
}

export interface InterpolatedString {
  value: string;
  /** Values taken from the environment (not defaults), in order of use. */
  fromEnv: string[];
  /** The same values with the variables they came from. */
  environment: EnvironmentValue[];
  problems: Array<Omit<InterpolationProblem, 'path'>>;
}

const PLACEHOLDER_BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export function interpolateString(text: string, env: Env): InterpolatedString {
  const result: InterpolatedString = { value: '', fromEnv: [], environment: [], problems: [] };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      result.value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      result.value += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close === -1) {
      result.problems.push({
        message: `"\${" is not closed (in ${quote(text)})`,
        fix: 'write ${NAME} or ${NAME:-default}; write $${ for a literal ${',
      });
      result.value += text.slice(i);
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
      if (value !== undefined && (value !== '' || fallback === undefined)) {
        result.value += value;
        result.fromEnv.push(value);
        result.environment.push({ name, value });
      } else if (fallback !== undefined) {
        result.value += fallback;
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

/** Header values end up in requests and logs: their environment parts must be masked. */
export function isHeaderValuePath(path: FieldPath): boolean {
  const [a, b, c, , e] = path;
  if (path.length === 3) return a === 'defaults' && b === 'headers';
  if (path.length === 5) return a === 'setup' && b === 'steps' && path[3] === 'headers';
  return path.length === 6 && a === 'journeys' && c === 'steps' && e === 'headers';
}

export interface InterpolatedTree {
  value: unknown;
  /** Environment values placed into header values: mask them in logs, never print them. */
  secrets: string[];
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
  const secrets = new Set<string>();
  const environment = new Map<string, EnvironmentValue>();
  const problems: InterpolationProblem[] = [];
  const wholeReferences: FieldPath[] = [];
  const environmentFields: Array<{ path: FieldPath; name: string }> = [];
  const walk = (node: unknown, path: FieldPath): unknown => {
    if (skip(path)) return node;
    if (typeof node === 'string') {
      const result = interpolateString(node, env);
      for (const problem of result.problems) problems.push({ path, ...problem });
      if (WHOLE_REFERENCE.test(node)) {
        wholeReferences.push(path);
        const use = result.environment[0];
        if (use !== undefined) environmentFields.push({ path, name: use.name });
      }
      if (isHeaderValuePath(path)) for (const secret of result.fromEnv) if (secret !== '') secrets.add(secret);
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
  return { value: walked, secrets: [...secrets], environment: [...environment.values()], problems, wholeReferences, environmentFields };
}
