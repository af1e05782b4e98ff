import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfigError, type FieldPath } from './config-error.js';

/**
 * The profile's YAML, parsed so that every node keeps its position: a field path can then be
 * turned back into the line and column a message should point at.
 */

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
}

const YAML_FIXES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'keep one of the two entries',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTIPLE_DOCS: 'keep one document: remove the second ---',
  BAD_INDENT: 'line up entries of the same mapping or list at the same indentation',
};

export function parseYaml(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // Only the first syntax error: the ones after it are mostly its echoes.
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    const fix = YAML_FIXES[error.code] ?? 'check indentation and quoting here; quote values holding : # [ ] { } or , as in "$.items[0].id"';
    throw new ConfigError({ file, line, column: col, field: '', message: `YAML syntax: ${error.message}`, fix });
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    throw new ConfigError({ file, field: '', message: `YAML: ${String((error as Error).message ?? error)}`, fix: 'remove the aliases (*name) that expand too much' });
  }
  if (value === null || value === undefined) {
    throw new ConfigError({ file, field: '', message: 'the file is empty', fix: 'write a profile with target, scenarios and journeys (see the README)' });
  }
  return { file, doc, lines, value };
}

/** Line and column of the value (or the key) at `path`; the nearest existing parent when absent. */
export function locate(source: YamlSource, path: FieldPath, part: 'key' | 'value'): { line: number; column: number } | undefined {
  let node: unknown = source.doc.contents;
  let key: unknown;
  let found = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) break;
      key = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      key = undefined;
      node = node.items[segment];
    } else break;
    found += 1;
  }
  const target = part === 'key' && found === path.length && key !== undefined ? key : node;
  const range = (target as { range?: [number, number, number] } | null)?.range;
  if (!range) return undefined;
  const { line, col } = source.lines.linePos(range[0]);
  return { line, column: col };
}
