import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Alias, type Document } from 'yaml';
import { formatByteSize } from './byte-size.js';
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

/** How deep lists and mappings may nest: a profile needs a few levels, a request body a few more. */
export const MAX_NESTING = 64;

/** The largest profile file read. Every later check costs in proportion to the profile's size. */
export const MAX_PROFILE_BYTES = 1024 * 1024;

/**
 * The largest a profile may be with its aliases (`*name`) written out, counted as in the file
 * (see checkExpansion): no larger than the largest file. An alias costs as much as the value it
 * repeats in everything that reads the profile after the parser, so a small file that aliases
 * one long value many times is refused here, before that cost, however few aliases it uses.
 */
export const MAX_EXPANDED_SIZE = MAX_PROFILE_BYTES;

const YAML_FIXES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'keep one of the two entries',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTIPLE_DOCS: 'keep one document: remove the second ---',
  BAD_INDENT: 'line up entries of the same mapping or list at the same indentation',
  RESOURCE_EXHAUSTION: `nest lists and mappings less deeply (at most ${MAX_NESTING} levels)`,
};

/** Refuses a profile of `bytes` bytes when it is larger than a profile may be; checked before a file is read, and again on the text. */
export function checkProfileSize(bytes: number, file: string): void {
  if (bytes > MAX_PROFILE_BYTES) {
    throw new ConfigError({
      file,
      field: '',
      message: `the file is ${formatByteSize(bytes)}, more than a profile may be (${formatByteSize(MAX_PROFILE_BYTES)})`,
      fix: 'keep large request bodies and rows of data out of the profile: rows go in a data set (a CSV or JSON file the profile names)',
    });
  }
}

export function parseYaml(text: string, file: string): YamlSource {
  checkProfileSize(Buffer.byteLength(text, 'utf8'), file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // Only the first syntax error: the ones after it are mostly its echoes.
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    const fix = YAML_FIXES[error.code] ?? 'check indentation and quoting here; quote values holding : # [ ] { } or , as in "$.items[0].id"';
    const message = error.code === 'RESOURCE_EXHAUSTION' ? 'lists and mappings nest too deeply to read' : error.message;
    throw new ConfigError({ file, line, column: col, field: '', message: `YAML syntax: ${message}`, fix });
  }
  const shape = checkShape(doc);
  if (shape) {
    const { line, col } = lines.linePos(shape.offset);
    throw new ConfigError({ file, line, column: col, field: '', message: shape.message, fix: shape.fix });
  }
  const expansion = checkExpansion(doc);
  if (expansion) {
    const { line, col } = lines.linePos(expansion.offset);
    throw new ConfigError({ file, line, column: col, field: '', message: expansion.message, fix: expansion.fix });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    throw new ConfigError({ file, field: '', message: 'YAML: the aliases (*name) expand to too much', fix: 'write the repeated parts out, or use fewer aliases of aliases' });
  }
  if (value === null || value === undefined) {
    throw new ConfigError({ file, field: '', message: 'the file is empty', fix: 'write a profile with target, scenarios and journeys (see the README)' });
  }
  return { file, doc, lines, value };
}

/**
 * What the YAML parser accepts but a profile cannot be: an alias inside the value it names (a
 * cycle, which no JSON value can hold), an alias to no anchor, nesting deeper than MAX_NESTING.
 * Walks the nodes with its own stack, so a deep file cannot overflow the call stack here.
 */
function checkShape(doc: Document.Parsed): { offset: number; message: string; fix: string } | undefined {
  interface Visit {
    node: unknown;
    depth: number;
    parent: Visit | undefined;
  }
  const stack: Visit[] = [{ node: doc.contents, depth: 0, parent: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    const { node, depth } = visit;
    const offset = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        return { offset, message: `the alias *${node.source} names no anchor set before it`, fix: `mark an earlier value with &${node.source}, or remove *${node.source}` };
      }
      for (let up = visit.parent; up !== undefined; up = up.parent) {
        if (up.node === target) return { offset, message: `the alias *${node.source} is inside the value it names, which would repeat forever`, fix: `remove *${node.source} from inside &${node.source}` };
      }
      continue;
    }
    if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_NESTING) return { offset, message: `lists and mappings nest deeper than ${MAX_NESTING} levels here`, fix: 'nest them less deeply' };
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push({ node: item.value, depth: depth + 1, parent: visit }, { node: item.key, depth: depth + 1, parent: visit });
        } else stack.push({ node: item, depth: depth + 1, parent: visit });
      }
    }
  }
  return undefined;
}

/**
 * The profile's size with every alias written out, refused above MAX_EXPANDED_SIZE with the alias
 * that weighs most. A scalar counts its length in the file, a list or mapping one more per entry,
 * an alias the size of the value it names. Sizes are kept per node, so each node is visited once
 * however often aliases repeat it: the check costs what reading the file cost. Runs after
 * checkShape, which refused aliases that would repeat forever.
 */
function checkExpansion(doc: Document.Parsed): { offset: number; message: string; fix: string } | undefined {
  const sizes = new Map<unknown, number>();
  const aliases: Array<{ alias: Alias; target: unknown }> = [];
  const children = (node: unknown): unknown[] => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      aliases.push({ alias: node, target });
      return target === undefined ? [] : [target];
    }
    if (!isMap(node) && !isSeq(node)) return [];
    return node.items.flatMap((item: unknown) => (isPair(item) ? [item.key, item.value] : [item])).filter((child) => child !== null && child !== undefined);
  };
  const ownSize = (node: unknown): number => {
    if (isMap(node) || isSeq(node)) return node.items.length;
    if (isScalar(node)) return Math.max(1, node.range ? node.range[1] - node.range[0] : String(node.value).length);
    return 0;
  };
  const stack: Array<{ node: unknown; kids: unknown[] | undefined }> = [{ node: doc.contents, kids: undefined }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { node: unknown; kids: unknown[] | undefined };
    if (sizes.has(top.node)) {
      stack.pop();
    } else if (top.kids === undefined) {
      top.kids = children(top.node);
      for (const kid of top.kids) if (!sizes.has(kid)) stack.push({ node: kid, kids: undefined });
    } else {
      stack.pop();
      sizes.set(top.node, top.kids.reduce<number>((sum, kid) => sum + (sizes.get(kid) ?? 0), ownSize(top.node)));
    }
  }
  const total = sizes.get(doc.contents) ?? 0;
  if (total <= MAX_EXPANDED_SIZE) return undefined;
  // The alias that weighs most: its uses times the size of what it repeats.
  const byName = new Map<string, { first: Alias; uses: number; size: number }>();
  for (const { alias, target } of aliases) {
    const entry = byName.get(alias.source) ?? { first: alias, uses: 0, size: sizes.get(target) ?? 0 };
    entry.uses++;
    if ((alias.range?.[0] ?? 0) < (entry.first.range?.[0] ?? 0)) entry.first = alias;
    byName.set(alias.source, entry);
  }
  const heaviest = [...byName.entries()].sort(([, a], [, b]) => b.uses * b.size - a.uses * a.size)[0];
  const limit = formatByteSize(MAX_EXPANDED_SIZE);
  const written = total > Number.MAX_SAFE_INTEGER ? 'far more' : `${formatByteSize(total)}, more`;
  const [name, worst] = heaviest ?? ['', undefined];
  return {
    offset: worst?.first.range?.[0] ?? 0,
    message:
      `YAML: with its aliases written out the profile would be ${written} than the ${limit} a profile may expand to` +
      (worst ? `; *${name} repeats ${formatByteSize(worst.size)} and is used ${worst.uses} time(s)` : ''),
    fix: `write a long value out once where it is needed, or alias only short values (each *name repeats all of its &name; at most ${limit} in all)`,
  };
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
