import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { RecordError } from '../../src/record/record-error.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { syntheticRun } from '../compare/record-builder.js';

/**
 * The record fuzzer: valid run records (built in code, and a fixture) mutated field by field and
 * character by character: fields deleted, types changed, numbers made negative, huge, fractional
 * or infinite, names made `__proto__`, blocks added, JSON cut short. Each result goes through the
 * reader and, when it is accepted, through `compareRuns` (as the current run and as the baseline)
 * and the report. Every outcome is a RecordError naming the file, or a comparison; never another
 * exception, never slower than a bound.
 *
 * Runs a few seconds with a fixed seed in `npm test`; longer by hand:
 *   FUZZ_RUNS=20000 node scripts/fuzz-records.mjs   (FUZZ_SEED=n picks another seed)
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261209);
const FILE = 'fuzz.json';
/** Slowest read plus comparison accepted for one record of this size. */
const MAX_MS = 3_000;

type Json = unknown;
type Path = Array<string | number>;

const fixture = readFileSync(join(import.meta.dirname, '../fixtures/records/current-regression.json'), 'utf8');

/** Small records, so a run is quick: two steps, a handful of blocks, some errors of two kinds. */
function seedRecords(): RunRecord[] {
  const withErrors = syntheticRun(31, { list: { blocks: 4, requestsPerBlock: 12, errorRate: 0.2 }, 'checkout/v2': { blocks: 4, requestsPerBlock: 6 } });
  for (const step of [withErrors.steps.list, withErrors.overall]) {
    if (step && step.errors > 1) step.errorKinds = { status: step.errors - 1, timeout: 1 };
  }
  return [
    syntheticRun(11, { list: { blocks: 5, requestsPerBlock: 10 }, checkout: { blocks: 5, requestsPerBlock: 8, medianMs: 90 } }, { sequence: 1 }),
    withErrors,
    syntheticRun(12, { only: { blocks: 1, requestsPerBlock: 3 } }, { generatorValid: false, generatorReasons: ['event-loop delay p99 184 ms'] }),
    JSON.parse(fixture) as RunRecord,
  ];
}

const SEEDS = seedRecords().map((record) => JSON.stringify(record));
const BASELINE = parseRunRecord(SEEDS[0] as string, 'seed.json');

/** Values a mutation writes in place of another. */
const VALUES: readonly Json[] = [
  -1, -0.5, 0, 0.5, 1, 7, 1e308, -1e308, 2 ** 53, 2 ** 31, Number.MAX_SAFE_INTEGER + 2, 4_500_001, 3_600_000_000,
  '', 'NaN', 'Infinity', '-1', '12', 'x'.repeat(3000), '\u202e', '__proto__',
  null, true, false, [], [1, 2], {}, { __proto__: null }, { requests: 1 },
];
const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'overall', '0', 'a'.repeat(300)];

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'nudge'; at: number; by: number }
  | { kind: 'rename'; at: number; name: number }
  | { kind: 'grow'; at: number; times: number }
  | { kind: 'proto'; at: number };

type TextEdit = { kind: 'truncate'; at: number } | { kind: 'insert'; at: number; text: string } | { kind: 'infinite'; at: number };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat({ max: VALUES.length - 1 }) }),
  fc.record({ kind: fc.constant('nudge' as const), at: fc.nat(), by: fc.constantFrom(-1, 1, -1000, 1000, 0.5) }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), name: fc.nat({ max: NAMES.length - 1 }) }),
  fc.record({ kind: fc.constant('grow' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat() }),
);

const TEXT_EDIT: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', ',', '}', ']', '{', '-', '1e999', '\\u0000', '"__proto__":{},') }),
  fc.record({ kind: fc.constant('infinite' as const), at: fc.nat() }),
);

/** Every path in a JSON value, parents before children. */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, Json> | undefined {
  let node = root;
  for (const part of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, Json>)[part];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string | number, Json>) : undefined;
}

function mutate(root: Json, mutation: Mutation): void {
  const all = paths(root).filter((p) => p.length > 0);
  const path = all[mutation.at % all.length];
  if (!path) return;
  const parent = parentOf(root, path);
  const key = path.at(-1) as string | number;
  if (!parent) return;
  const current = parent[key];
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return;
    case 'set':
      parent[key] = structuredClone(VALUES[mutation.value]);
      return;
    case 'nudge':
      if (typeof current === 'number') parent[key] = current + mutation.by;
      return;
    case 'rename': {
      if (Array.isArray(parent)) return;
      // defineProperty, so even `__proto__` becomes an own key, as JSON.parse would make it.
      Object.defineProperty(parent, NAMES[mutation.name] as string, { value: current, enumerable: true, writable: true, configurable: true });
      delete parent[key];
      return;
    }
    case 'grow':
      if (Array.isArray(current) && current.length > 0) {
        const last = current.at(-1);
        for (let i = 0; i < mutation.times; i++) current.push(structuredClone(last));
      }
      return;
    case 'proto':
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
        Object.defineProperty(current, '__proto__', { value: { polluted: true, requests: -1 }, enumerable: true, writable: true, configurable: true });
      }
      return;
  }
}

function editText(text: string, edit: TextEdit): string {
  const at = edit.at % (text.length + 1);
  switch (edit.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + edit.text + text.slice(at);
    case 'infinite': {
      // Replace the number at or after `at` with one JSON reads as Infinity.
      const match = /-?\d+(\.\d+)?(e[+-]?\d+)?/i.exec(text.slice(at));
      return match ? text.slice(0, at + match.index) + '1e999' + text.slice(at + match.index + match[0].length) : text;
    }
  }
}

const CASE = fc.record({
  seed: fc.nat({ max: SEEDS.length - 1 }),
  mutations: fc.array(MUTATION, { minLength: 1, maxLength: 3 }),
  textEdit: fc.option(TEXT_EDIT, { freq: 4 }),
});

type Outcome = 'refused' | 'compared';

/** Reads the text and compares it both ways; throws only what a user should never see. */
function throughCompare(text: string): Outcome {
  let record: RunRecord;
  try {
    record = parseRunRecord(text, FILE);
  } catch (error) {
    if (error instanceof RecordError && error.message.startsWith(`${FILE}`)) return 'refused';
    throw error;
  }
  const asCurrent = compareRuns({ baselines: [BASELINE], current: record });
  const asBaseline = compareRuns({ baselines: [record, BASELINE], current: BASELINE });
  for (const comparison of [asCurrent, asBaseline]) {
    expect(['pass', 'regression', 'improvement', 'inconclusive', 'no-baseline']).toContain(comparison.verdict);
    expect(renderReport(comparison).length).toBeGreaterThan(0);
  }
  return 'compared';
}

describe('record fuzzer', () => {
  it('the seed records are read and compared', () => {
    for (const text of SEEDS) expect(throughCompare(text)).toBe('compared');
  });

  it(`mutated records are refused with a RecordError or compared, never anything else (${RUNS} runs, seed ${SEED})`, () => {
    const seen: Record<Outcome, number> = { refused: 0, compared: 0 };
    fc.assert(
      fc.property(CASE, ({ seed, mutations, textEdit }) => {
        const root = JSON.parse(SEEDS[seed] as string) as Json;
        for (const mutation of mutations) mutate(root, mutation);
        let text = JSON.stringify(root);
        if (textEdit) text = editText(text, textEdit);
        const started = performance.now();
        seen[throughCompare(text)]++;
        const elapsed = performance.now() - started;
        if (elapsed > MAX_MS) throw new Error(`took ${Math.round(elapsed)} ms (bound ${MAX_MS} ms)`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both outcomes are reached, so the fuzzer tests the checks and compare alike.
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.compared).toBeGreaterThan(0);
  }, Math.max(30_000, RUNS * 20));
});
