/**
 * GitHub's published OpenAPI description (@octokit/openapi, api.github.com), read once per test
 * file: operations found by method and path template, and their schemas turned into standalone
 * JSON Schemas (only the components they reach, OpenAPI's `nullable` made JSON Schema) for ajv.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type Schema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
  /** `x-multi-segment`: the value may hold slashes (a ref, a file path). */
  multiSegment: boolean;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; schema: Schema | undefined };
  /** Status ("200", "default"...) to the JSON schema of its body, or undefined when it has none. */
  responses: Record<string, Schema | undefined>;
}

export interface OperationMatch {
  operation: Operation;
  pathParams: Record<string, string>;
}

export interface OpenApi {
  /** The operation for this method and path, or the methods the path allows when none. */
  match(method: string, pathname: string): OperationMatch | { allowed: string[] } | undefined;
  /** A component schema (`#/components/schemas/<name>`), standalone. */
  componentSchema(name: string): Schema;
  /** Any OpenAPI schema object from the description, standalone. */
  standalone(schema: Schema): Schema;
}

interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  literalChars: number;
  operations: Map<string, Operation>;
}

type Document = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, unknown>; responses: Record<string, unknown> };
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
let cached: OpenApi | undefined;

/** The description, loaded and indexed on first use (about 0.2 s), shared by the test file. */
export function openApi(): OpenApi {
  cached ??= index(JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')));
  return cached;
}

function index(document: Document): OpenApi {
  const resolve = <T>(node: unknown): T => {
    let current = node as { $ref?: string };
    while (typeof current.$ref === 'string') current = pointer(document, current.$ref) as { $ref?: string };
    return current as T;
  };
  const routes: Route[] = Object.entries(document.paths).map(([template, item]) => {
    const operations = new Map<string, Operation>();
    for (const method of METHODS) {
      const raw = item[method] as Record<string, unknown> | undefined;
      if (raw !== undefined) operations.set(method.toUpperCase(), toOperation(method, template, raw, item, resolve));
    }
    const pathParameters = [...operations.values()].flatMap((op) => op.parameters).filter((p) => p.in === 'path');
    const multiSegment = new Set(pathParameters.filter((p) => p.multiSegment).map((p) => p.name));
    return { template, operations, ...compileTemplate(template, multiSegment) };
  });
  // The most literal template wins: `/repos/{o}/{r}/issues/comments` before `/repos/{o}/{r}/issues/{n}`.
  routes.sort((a, b) => b.literalChars - a.literalChars);

  const defs = document.components.schemas;
  return {
    match(method, pathname) {
      for (const route of routes) {
        const found = route.pattern.exec(pathname);
        if (found === null) continue;
        const operation = route.operations.get(method.toUpperCase());
        if (operation === undefined) return { allowed: [...route.operations.keys()] };
        const pathParams = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
        return { operation, pathParams };
      }
      return undefined;
    },
    componentSchema: (name) => standalone({ $ref: `#/components/schemas/${name}` }, defs),
    standalone: (schema) => standalone(schema, defs),
  };
}

type Resolve = <T>(node: unknown) => T;
type Raw = Record<string, unknown>;

function toOperation(method: string, template: string, raw: Raw, item: Raw, resolve: Resolve): Operation {
  const declared = [...((item.parameters as unknown[]) ?? []), ...((raw.parameters as unknown[]) ?? [])];
  const parameters = declared.map((node) => {
    const p = resolve<Raw>(node);
    const multiSegment = p['x-multi-segment'] === true;
    return { name: p.name, in: p.in, required: p.required === true, schema: (p.schema as Schema) ?? {}, multiSegment } as Parameter;
  });
  type Body = { required?: boolean; content?: Record<string, { schema?: Schema }> };
  const body = raw.requestBody === undefined ? undefined : resolve<Body>(raw.requestBody);
  const responses: Record<string, Schema | undefined> = {};
  for (const [status, node] of Object.entries((raw.responses as Record<string, unknown>) ?? {})) {
    responses[status] = resolve<{ content?: Record<string, { schema?: Schema }> }>(node).content?.['application/json']?.schema;
  }
  return {
    operationId: String(raw.operationId),
    method: method.toUpperCase(),
    template,
    parameters,
    ...(body === undefined ? {} : { requestBody: { required: body.required === true, schema: body.content?.['application/json']?.schema } }),
    responses,
  };
}

function compileTemplate(template: string, multiSegment: Set<string>): Pick<Route, 'pattern' | 'names' | 'literalChars'> {
  const names: string[] = [];
  let literalChars = 0;
  const source = template.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
    if (name === undefined) {
      literalChars += part.length;
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    }
    names.push(name);
    return multiSegment.has(name) ? '(.+)' : '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names, literalChars };
}

function pointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are expected, got ${ref}`);
  let node = document as Record<string, unknown>;
  for (const raw of ref.slice(2).split('/')) {
    node = node[raw.replace(/~1/g, '/').replace(/~0/g, '~')] as Record<string, unknown>;
    if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return node;
}

/**
 * The schema with `#/components/schemas/x` references moved to `#/$defs/x` (only those it
 * reaches), `nullable` turned into JSON Schema, and examples and prose left out.
 */
function standalone(root: Schema, components: Record<string, Schema>): Schema {
  const needed: string[] = [];
  const $defs: Record<string, unknown> = {};
  const out = convert(root, needed) as Schema;
  for (let name = needed.pop(); name !== undefined; name = needed.pop()) {
    if (name in $defs) continue;
    const component = components[name];
    if (component === undefined) throw new Error(`unknown component schema ${name}`);
    $defs[name] = convert(component, needed);
  }
  return { ...out, $defs };
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_ONE = new Set(['items', 'additionalProperties', 'not']);
const PROSE = new Set(['example', 'examples', 'description', 'title', 'externalDocs', 'discriminator', 'xml']);

function convert(node: unknown, needed: string[]): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as Schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    needed.push(name);
    return schema.nullable === true ? { anyOf: [{ type: 'null' }, { $ref: `#/$defs/${name}` }] } : { $ref: `#/$defs/${name}` };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PROSE.has(key) || key === 'nullable' || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(key)) out[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, convert(v, needed)]));
    else if (SCHEMA_LISTS.has(key)) out[key] = (value as unknown[]).map((v) => convert(v, needed));
    else if (SCHEMA_ONE.has(key)) out[key] = convert(value, needed);
    else out[key] = value;
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}
