import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { ConfigError } from '../../src/config/config-error.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { buildPlan } from '../../src/plan/plan.js';

/**
 * The profile fuzzer: valid profiles (the fixtures and a few inline ones) mutated value by value
 * and character by character, and YAML made up from scratch. Whatever comes in, the loader either
 * returns a profile the planner accepts or throws a ConfigError naming the file; never another
 * exception, never a hang, never an endless message, never a value from the environment.
 *
 * Runs a few seconds with a fixed seed in `npm test`; longer by hand:
 *   FUZZ_RUNS=100000 node scripts/fuzz-profiles.mjs   (FUZZ_SEED=n picks another seed)
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const FILE = 'fuzz.yml';
/** Longest message accepted: ten listed problems of bounded length, and the header. */
const MAX_MESSAGE = 25_000;
/** Slowest single load accepted, in CPU ms (a profile is read once per run). */
const MAX_MS = 2_000;

/** Environment values nobody would write in a profile, so finding one in a message is a leak. */
const ENV = {
  TARGET_URL: 'http://127.0.0.1:9/zq7envtarget',
  API_TOKEN: 'tok-zq7envsecret-81c4',
  RATE: '25',
  BLANK: '',
  WEIRD: '}{"zq7envweird: [&*',
};
const LEAKS = ['zq7envtarget', 'zq7envsecret', 'zq7envweird'];

const fixtureDir = join(import.meta.dirname, '../fixtures');
const SEEDS: string[] = [
  ...readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => readFileSync(join(fixtureDir, name), 'utf8')),
  `target: \${TARGET_URL}
defaults: { headers: { x-token: "\${API_TOKEN}" } }
scenarios:
  open: { executor: constant-arrival-rate, rate: "\${RATE}", duration: 10s, preAllocatedVUs: 2 }
journeys:
  j:
    steps:
      - { name: list, request: GET /items, capture: { id: "$.items[?(@.stock > 0)].id" } }
      - { name: get, request: "GET /items/{{ id }}", expect: [200, 404] }
thresholds:
  "http_req_duration{step:list}": ["p(95)<500"]
regression: { p95: 10%, steps: [list, overall] }
`,
];

/** Values a mutation writes: near misses, references to the environment, reserved names, junk. */
const VALUE = fc.oneof(
  fc.constantFrom('${API_TOKEN}', '${API_TOKEN}!', 'x${WEIRD}', '${TARGET_URL}', '${RATE}', '${BLANK}', '${NOPE}', '${', '$${API_TOKEN}'),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  fc.constantFrom('$[[[', '$..', '$.items[?(@.x >)]', 'G E T /ok', 'get /a', 'GET //evil.example/x', '1.5s', '0s', '1s-0s', '-1', '10%', 'p(95)<', 'http://', ''),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.nat({ max: 50 }).map((n) => 'a '.repeat(n * 1000)),
  fc.integer({ min: 1, max: 80 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown),
);

type Op =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'rename'; at: number; name: string }
  | { kind: 'copy'; at: number; to: number };

const OP: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: VALUE }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), name: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '${API_TOKEN}', 'k'.repeat(2000)), fc.string({ maxLength: 12 })) }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), to: fc.nat() }),
);

type Container = Record<string, unknown> | unknown[];

/** Every place in the tree a value sits: its container and its key. */
function places(root: unknown): Array<{ parent: Container; key: string | number }> {
  const found: Array<{ parent: Container; key: string | number }> = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 20 || node === null || typeof node !== 'object') return;
    const container = node as Container;
    for (const [key, child] of Object.entries(container)) {
      found.push({ parent: container, key: Array.isArray(container) ? Number(key) : key });
      walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

function mutate(tree: unknown, ops: readonly Op[]): unknown {
  for (const op of ops) {
    const all = places(tree);
    if (all.length === 0) return tree;
    const place = all[op.at % all.length] as { parent: Container; key: string | number };
    const parent = place.parent as Record<string | number, unknown>;
    if (op.kind === 'set') parent[place.key] = op.value;
    else if (op.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(place.key as number, 1);
      else delete parent[place.key];
    } else if (op.kind === 'rename' && !Array.isArray(parent)) {
      const value = parent[place.key];
      delete parent[place.key];
      Object.defineProperty(parent, op.name, { value, enumerable: true, writable: true, configurable: true });
    } else if (op.kind === 'copy') {
      const to = all[op.to % all.length] as { parent: Container; key: string | number };
      (to.parent as Record<string | number, unknown>)[to.key] = structuredClone(parent[place.key]);
    }
  }
  return tree;
}

type Edit = { at: number; remove: number; insert: string };
const EDIT: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.oneof(
    fc.constantFrom('&a ', '*a', '&x [*x]', '\t', '\n', ': ', '- ', '{', '}', '[', ']', '"', "'", '#', '!!binary ', '<<: *a', '${API_TOKEN}', '---\n', '? ', '|\n  '),
    fc.string({ maxLength: 6 }),
  ),
});

function edit(text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const { at, remove, insert } of edits) {
    const i = result.length === 0 ? 0 : at % result.length;
    result = result.slice(0, i) + insert + result.slice(i + remove);
  }
  return result;
}

/** CPU time of this process so far, user and system, milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The one property: a profile or a ConfigError, quickly, with a readable message and no leak.
 * Quickly is in the CPU time of this worker process, not the wall clock: a machine busy with other
 * work stretches the wall clock of a load, never the work it does.
 */
function loadsOrExplains(text: string): void {
  const started = cpuMs();
  let error: unknown;
  try {
    const profile = parseProfile(text, { file: FILE, env: ENV });
    buildPlan(profile);
  } catch (caught) {
    error = caught;
  }
  const elapsed = cpuMs() - started;
  expect(elapsed, 'one load (CPU ms)').toBeLessThan(MAX_MS);
  if (error === undefined) return;
  if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${String((error as Error)?.stack ?? error)}\n--- profile ---\n${text.slice(0, 2000)}`);
  const message = error.message;
  expect(message.length, 'message length').toBeLessThanOrEqual(MAX_MESSAGE);
  for (const leak of LEAKS) expect(message.includes(leak), `message shows an environment value: ${message.slice(0, 500)}`).toBe(false);
  expect(message.startsWith(FILE)).toBe(true);
  for (const problem of error.problems) {
    expect(problem.file).toBe(FILE);
    expect(typeof problem.field).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

describe('profile fuzzer', () => {
  const options = { seed: SEED, numRuns: RUNS, endOnFailure: true };

  it('every seed profile loads as it is', () => {
    for (const text of SEEDS) parseProfile(text, { file: FILE, env: ENV });
  });

  it('mutated values, keys and lists', () => {
    const arbitrary = fc.record({ seed: fc.nat({ max: SEEDS.length - 1 }), ops: fc.array(OP, { minLength: 1, maxLength: 4 }) });
    fc.assert(
      fc.property(arbitrary, ({ seed, ops }) => {
        const tree = parseSeed(SEEDS[seed] as string);
        loadsOrExplains(stringify(mutate(tree, ops), { aliasDuplicateObjects: false }));
      }),
      options,
    );
  }, 120_000);

  it('edited text', () => {
    const arbitrary = fc.record({ seed: fc.nat({ max: SEEDS.length - 1 }), edits: fc.array(EDIT, { minLength: 1, maxLength: 5 }) });
    fc.assert(fc.property(arbitrary, ({ seed, edits }) => loadsOrExplains(edit(SEEDS[seed] as string, edits))), options);
  }, 120_000);

  it('YAML made up from scratch', () => {
    const piece = fc.oneof(
      fc.constantFrom('target: ', 'scenarios:', 'journeys:', 'steps:', '  ', '- ', ': ', '&a ', '*a', '[', ']', '{', '}', ', ', '\n', '"', "'", '${API_TOKEN}', 'request: GET /', 'executor: constant-vus', 'duration: 1s', 'capture: { x: "$[[[" }', '__proto__: ', '!!str ', '? '),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => loadsOrExplains(pieces.join(''))), options);
  }, 120_000);
});

/** A seed as plain data to mutate (it is valid, so it parses). */
function parseSeed(text: string): unknown {
  return parseDocument(text).toJS();
}
