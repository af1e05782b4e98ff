import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../schema/tailgate.run.schema.json' with { type: 'json' };
import { describeValue, fieldName, type FieldPath } from './record-field.js';

/**
 * The run record's JSON schema (schema/tailgate.run.schema.json): types, required fields and the
 * bounds on every number, list and name. A record from a fork, an artifact or a cache entry is
 * untrusted, so this runs before anything reads a field.
 */

/** Bounds the schema sets, named for messages and for the checks that need them too. */
export const MAX_BLOCKS = schema.properties.blocks.maxItems;
export const MAX_STEPS = schema.properties.steps.maxProperties;
export const MAX_MEASURED_MS = schema.definitions.milliseconds.maximum;

/** What is wrong with a record, at which field, and the fix when it is not the usual one. */
export interface RecordProblem {
  field: string;
  problem: string;
  fix?: string;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // The first error is enough to refuse a record, and stopping there keeps a huge one cheap.
  compiled ??= new Ajv({ allErrors: false, verbose: true, strict: true, strictNumbers: true }).compile(schema);
  return compiled;
}

/** The first way `data` breaks the schema, in plain words; undefined when it does not. */
export function schemaProblem(data: unknown): RecordProblem | undefined {
  const validate = validator();
  if (validate(data)) return undefined;
  const errors = validate.errors ?? [];
  // A name refused by `propertyNames` is reported twice (the inner rule, then propertyNames): say it once.
  const error = errors.find((e) => e.keyword === 'propertyNames') ?? errors[0];
  return error ? explain(error, data) : { field: '(record)', problem: 'does not match the run record schema' };
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

function explain(error: ErrorObject, root: unknown): RecordProblem {
  const path = pointerToPath(error.instancePath, root);
  const at = fieldName(path);
  const params = error.params as Record<string, unknown>;
  const got = describeValue(error.data);
  switch (error.keyword) {
    case 'required':
      return { field: fieldName([...path, String(params.missingProperty)]), problem: 'is missing' };
    case 'type': {
      const wanted = String(params.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { field: at, problem: `is ${got}; it must be ${wanted}` };
    }
    case 'minimum':
    case 'exclusiveMinimum':
      return { field: at, problem: `is ${got}; it must be ${error.keyword === 'minimum' ? 'at least' : 'more than'} ${String(params.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { field: at, problem: `is ${got}; it must be at most ${String(params.limit)}${String(path.at(-1)).endsWith('Ms') ? ' (ms)' : ''}` };
    case 'maxItems':
    case 'maxProperties': {
      const held = Array.isArray(error.data) ? error.data.length : Object.keys(error.data as object).length;
      const bounded = path.length === 1 && (path[0] === 'blocks' || path[0] === 'steps');
      return {
        field: at,
        problem: `holds ${held} entries; tailgate reads at most ${String(params.limit)}`,
        ...(bounded ? { fix: 'record with fewer steps or longer blocks (`block:` in the profile, 5s by default)' } : {}),
      };
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      const reserved = ['__proto__', 'constructor', 'prototype'].includes(name);
      return {
        field: at,
        problem: reserved
          ? `has an entry named ${describeValue(name)}, a name JavaScript objects already own, which tailgate never writes`
          : `has an entry named ${describeValue(name)}, which is not a valid key here`,
      };
    }
    case 'const':
      return { field: at, problem: `is ${got}; it must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { field: at, problem: `is ${got}; it must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
      return { field: at, problem: `is ${got}, not in the form tailgate writes` };
    case 'minLength':
      return { field: at, problem: 'is empty' };
    case 'maxLength':
      return { field: at, problem: `is ${String((error.data as string).length)} characters long; at most ${String(params.limit)} are read` };
    default:
      return { field: at, problem: error.message ?? 'is not valid' };
  }
}

/** `/steps/a~1b/blocks/3` -> ['steps', 'a/b', 'blocks', 3]: a number where the value is a list. */
function pointerToPath(pointer: string, root: unknown): FieldPath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(part) : undefined;
    path.push(index ?? part);
    node = node !== null && typeof node === 'object' && Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined;
  }
  return path;
}
