import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { echo, quote } from './echo.js';
import type { Problems } from './problems.js';
import type { DataPick, DataSet } from './profile-types.js';

/**
 * The profile's `data`: values read once from CSV or JSON files next to the profile, used as
 * `{{ set.column }}` in steps. A CSV has a header row naming its columns; a JSON file holds a
 * list of flat objects. Every mistake names the data file, its line and the fix.
 */

/** Reads a data file's text; the CLI reads from disk, tests may pass files of their own. */
export type ReadDataFile = (path: string) => string;

export const readDataFileFromDisk: ReadDataFile = (path) => readFileSync(path, 'utf8');

/** The most rows a data set may hold: every VU may read any of them, so all stay in memory. */
export const MAX_DATA_ROWS = 1_000_000;

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface RawDataSet {
  file: string;
  pick?: DataPick;
}

/** Reads every data set; a problem is reported at the set's `file` field, naming the file's line. */
export function readDataSets(raw: Record<string, RawDataSet>, profileFile: string, read: ReadDataFile, problems: Problems): DataSet[] {
  return Object.entries(raw).flatMap(([name, set]) => {
    const at = ['data', name, 'file'];
    const path = resolve(dirname(profileFile), set.file);
    let text: string;
    try {
      text = read(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      problems.add(at, `cannot read ${quote(path)} (${code})`, `give the path relative to the profile's folder (${dirname(resolve(profileFile))}), e.g. file: users.csv`);
      return [];
    }
    const parsed = extname(path).toLowerCase() === '.json' ? parseJsonRows(text) : parseCsv(text);
    if ('problem' in parsed) {
      const where = parsed.line === undefined ? set.file : `${set.file}:${parsed.line}`;
      problems.add(at, `${where}: ${parsed.problem}`, parsed.fix);
      return [];
    }
    if (parsed.rows.length === 0) {
      problems.add(at, `${set.file} holds no rows${extname(path).toLowerCase() === '.json' ? '' : ' below its header'}`, 'add at least one row of values');
      return [];
    }
    if (parsed.rows.length > MAX_DATA_ROWS) {
      problems.add(at, `${set.file} holds ${parsed.rows.length} rows; at most ${MAX_DATA_ROWS} are read`, 'use a smaller sample of the data');
      return [];
    }
    return [{ name, file: set.file, pick: set.pick ?? 'round-robin', columns: parsed.columns, rows: parsed.rows }];
  });
}

type Parsed = { columns: string[]; rows: string[][] } | { problem: string; fix: string; line?: number };

/** RFC 4180 CSV: a header row, then rows of as many fields; fields may be quoted ("a, b", "say ""hi"""). */
export function parseCsv(text: string): Parsed {
  const records: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) return { problem: 'a quoted field is not closed', fix: 'end the field with a double quote; write "" for a quote inside it', line: recordLine };
  if (field !== '' || fields.length > 0) endRecord();
  const header = records.shift();
  if (header === undefined) return { problem: 'is empty: a CSV data file starts with a header row naming its columns', fix: 'write a first line such as name,password' };
  const problem = columnsProblem(header.fields);
  if (problem) return { ...problem, line: header.line };
  for (const record of records) {
    if (record.fields.length !== header.fields.length) {
      return {
        problem: `has ${record.fields.length} field(s), the header ${header.fields.length} (${header.fields.join(', ')})`,
        fix: 'give every row one value per column; quote a value that holds a comma',
        line: record.line,
      };
    }
  }
  return { columns: header.fields, rows: records.map((r) => r.fields) };
}

/** A JSON list of flat objects with the same keys: [{"name": "a", "id": 1}, ...]. */
function parseJsonRows(text: string): Parsed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})`, fix: 'write a JSON list of objects, e.g. [{"name": "ada"}]' };
  }
  if (!Array.isArray(data)) return { problem: 'is not a JSON list', fix: 'write a JSON list of objects, e.g. [{"name": "ada"}]' };
  const first = data[0] as unknown;
  if (first === undefined) return { columns: [], rows: [] };
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return { problem: 'item 0 is not an object', fix: 'make every item an object of column -> value' };
  const columns = Object.keys(first);
  const problem = columnsProblem(columns);
  if (problem) return problem;
  const rows: string[][] = [];
  for (const [i, item] of data.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return { problem: `item ${i} is not an object`, fix: 'make every item an object of column -> value' };
    const keys = Object.keys(item);
    if (keys.length !== columns.length || !columns.every((c) => Object.hasOwn(item, c))) {
      return { problem: `item ${i} has the keys ${keys.join(', ')}, item 0 ${columns.join(', ')}`, fix: 'give every item the same keys' };
    }
    const values = columns.map((c) => (item as Record<string, unknown>)[c]);
    const nested = values.findIndex((v) => v !== null && typeof v === 'object');
    if (nested !== -1) return { problem: `item ${i}'s ${columns[nested]} is a list or object; values are text, numbers or true/false`, fix: 'flatten it into columns of its own' };
    rows.push(values.map((v) => (v === null ? '' : String(v))));
  }
  return { columns, rows };
}

function columnsProblem(columns: readonly string[]): { problem: string; fix: string } | undefined {
  const bad = columns.find((c) => !COLUMN.test(c) || c === '__proto__' || c === 'constructor' || c === 'prototype');
  if (bad !== undefined) return { problem: `the column name ${echo(bad)} cannot be used as {{ set.${bad} }}`, fix: 'name columns with a letter or _, then letters, digits or _' };
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice !== undefined) return { problem: `names the column ${echo(twice)} twice`, fix: 'give each column its own name' };
  return undefined;
}

/** `{{ set.column }}` names: the variables a data set gives every iteration. */
export function dataVariables(set: DataSet): string[] {
  return set.columns.map((column) => `${set.name}.${column}`);
}

/** The data set and column a `{{ a.b }}` names, or why it names none; undefined for a plain variable. */
export function dataReferenceProblem(variable: string, sets: readonly DataSet[]): { message: string; fix: string } | undefined {
  const dot = variable.indexOf('.');
  if (dot === -1) return undefined;
  const setName = variable.slice(0, dot);
  const column = variable.slice(dot + 1);
  const set = sets.find((s) => s.name === setName);
  if (set === undefined) {
    return { message: `uses {{ ${variable} }}, but no data set is named ${setName}`, fix: sets.length === 0 ? `add data: { ${setName}: { file: ${setName}.csv } }` : `use one of the data sets: ${sets.map((s) => s.name).join(', ')}` };
  }
  if (!set.columns.includes(column)) return { message: `uses {{ ${variable} }}, but ${set.file} has no column ${column} (columns: ${set.columns.join(', ')})`, fix: 'name one of its columns' };
  return undefined;
}
