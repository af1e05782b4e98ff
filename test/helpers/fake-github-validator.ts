/**
 * Checks requests (path, query, JSON body) and the fake's own responses against GitHub's
 * OpenAPI description. Validators are compiled on first use and kept for the test file.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { openApi, type Operation, type Parameter, type Schema } from './fake-github-openapi.js';

const formats = {
  // Tolerant: only the formats tailgate sends are checked; unknown ones (int64...) pass.
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
};
const bodies = new Ajv({ strict: false, allErrors: true, logger: false, formats });
// Path and query values arrive as text: "100" must count as an integer.
const params = new Ajv({ strict: false, allErrors: true, logger: false, formats, coerceTypes: true });

const cache = new Map<string, ValidateFunction>();

function compiled(key: string, ajv: Ajv, build: () => Schema): ValidateFunction {
  let validate = cache.get(key);
  if (validate === undefined) {
    validate = ajv.compile(build());
    cache.set(key, validate);
  }
  return validate;
}

export interface ReceivedRequest {
  operation: Operation;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  rawBody: string;
  contentType: string | undefined;
}

/** Problems with a request, as sentences; empty when it is valid. */
export function requestProblems({ operation, pathParams, query, rawBody, contentType }: ReceivedRequest): string[] {
  const problems = [
    ...check(params, `${operation.operationId} path`, paramsSchema(operation.parameters, 'path', false), { ...pathParams }, 'path'),
    ...check(params, `${operation.operationId} query`, paramsSchema(operation.parameters, 'query', true), { ...query }, 'query'),
  ];
  const declared = operation.requestBody;
  if (rawBody === '') {
    if (declared?.required === true) problems.push('the request body is required');
    return problems;
  }
  if (declared === undefined) return [...problems, 'this operation takes no request body'];
  if (declared.schema === undefined) return problems; // not a JSON body (uploads, markdown)
  if (!/^application\/json\b/.test(contentType ?? '')) problems.push(`content-type is ${contentType ?? 'missing'}, not application/json`);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  const schema = declared.schema;
  return [...problems, ...check(bodies, `${operation.operationId} body`, () => openApi().standalone(schema), body, 'body')];
}

/** Problems with a response the fake sends, so its answers stay shaped like GitHub's. */
export function responseProblems(operation: Operation, status: number, body: unknown): string[] {
  const key = String(status) in operation.responses ? String(status) : 'default';
  const schema = operation.responses[key];
  if (schema === undefined) return [];
  return check(bodies, `${operation.operationId} ${key} response`, () => openApi().standalone(schema), body, 'response');
}

function check(ajv: Ajv, key: string, build: () => Schema, value: unknown, where: string): string[] {
  const validate = compiled(key, ajv, build);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

function paramsSchema(parameters: readonly Parameter[], location: 'path' | 'query', closed: boolean): () => Schema {
  return () => {
    const mine = parameters.filter((p) => p.in === location);
    return openApi().standalone({
      type: 'object',
      properties: Object.fromEntries(mine.map((p) => [p.name, p.schema])),
      required: mine.filter((p) => p.required).map((p) => p.name),
      // An unknown query parameter is a typo GitHub would silently ignore.
      additionalProperties: !closed,
    });
  };
}
