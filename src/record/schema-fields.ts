import type { SchemaObject } from 'ajv';

/**
 * How tailgate's JSON schemas of its own types are built (the comparison's, the analysis'): one
 * schema per object type, every field listed, so a field added to a type does not compile until
 * its schema is written too.
 */

/** The fields of `T` that may be absent. */
export type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * The schema of an object of type `T`: a schema for each of its fields (all of them, no others),
 * every field required but those named optional, nothing else allowed.
 */
export function fields<T>(properties: { [K in keyof Required<T>]: SchemaObject }, optional: ReadonlyArray<OptionalKeys<T>> = [], extra: { nullable?: true } = {}): SchemaObject {
  const required = Object.keys(properties).filter((key) => !(optional as readonly string[]).includes(key));
  return { type: 'object', additionalProperties: false, required, properties, ...extra };
}
