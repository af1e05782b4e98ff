import { warmupSliceCount } from './load-shape-slices.js';
import { fieldName, type FieldPath } from './record-field.js';
import type { RecordProblem } from './record-schema.js';
import type { RunRecord, StepRecord } from './run-record-types.js';

/**
 * What the schema cannot say about a run record, checked after it: the counts tailgate's
 * recorder and merge always make add up (see recorder.ts, merge-records.ts), so a record where
 * they do not was edited or crafted, and comparing it would judge numbers nobody measured.
 */

/** Block windows are rounded to the millisecond apart from `measuredMs`; allow that much. */
const WINDOW_SLACK_MS = 1;

/**
 * Each step, and each step's block, costs a histogram to read and compare: bound them in all, so
 * many steps times many blocks cannot keep compare busy for minutes. 50,000 is an hour of 5 s
 * blocks for 68 steps, and as many histograms as latency-counts.ts keeps decoded.
 */
export const MAX_STEP_BLOCKS = 50_000;

/** A baseline bundle holds at most the Action's largest `history`, and a bounded volume in all. */
export const MAX_BASELINE_RUNS = 100;
export const MAX_BASELINE_STEP_BLOCKS = 4 * MAX_STEP_BLOCKS;

/** The first way a schema-valid record contradicts itself; undefined when it does not. */
export function recordProblem(record: RunRecord): RecordProblem | undefined {
  return metaProblem(record) ?? windowProblem(record) ?? volumeProblem(record) ?? stepsProblem(record) ?? overallProblem(record) ?? loadShapeProblem(record);
}

function metaProblem({ meta }: RunRecord): RecordProblem | undefined {
  for (const key of ['startedAt', 'endedAt'] as const) {
    if (Number.isNaN(Date.parse(meta[key]))) return { field: fieldName(['meta', key]), problem: `is ${JSON.stringify(meta[key])}, not a date and time` };
  }
  if (meta.shard && meta.shard.index > meta.shard.count) {
    return { field: 'meta.shard', problem: `says shard ${meta.shard.index} of ${meta.shard.count}; the index must be at most the count` };
  }
  return undefined;
}

function windowProblem({ meta, blocks }: RunRecord): RecordProblem | undefined {
  let previousEnd = 0;
  for (const [i, window] of blocks.entries()) {
    const at = fieldName(['blocks', i]);
    if (window.endMs < window.startMs) return { field: at, problem: `ends (${window.endMs} ms) before it starts (${window.startMs} ms)` };
    if (window.startMs < previousEnd) return { field: at, problem: `starts at ${window.startMs} ms, before the block before it ends (${previousEnd} ms); blocks must be in time order` };
    if (window.endMs - window.startMs > meta.blockMs + WINDOW_SLACK_MS) {
      return { field: at, problem: `lasts ${window.endMs - window.startMs} ms, longer than meta.blockMs (${meta.blockMs} ms)` };
    }
    if (window.endMs > meta.measuredMs + WINDOW_SLACK_MS) return { field: at, problem: `ends at ${window.endMs} ms, after the measured period (meta.measuredMs, ${meta.measuredMs} ms)` };
    previousEnd = window.endMs;
  }
  return undefined;
}

function volumeProblem(record: RunRecord): RecordProblem | undefined {
  const stepBlocks = stepBlockCount(record);
  if (stepBlocks <= MAX_STEP_BLOCKS) return undefined;
  return {
    field: 'steps',
    problem: `hold ${Object.keys(record.steps).length} steps of ${record.blocks.length} blocks, ${stepBlocks} step blocks with the overall; tailgate reads at most ${MAX_STEP_BLOCKS}`,
    fix: 'record with fewer steps or longer blocks (`block:` in the profile, 5s by default)',
  };
}

function stepsProblem(record: RunRecord): RecordProblem | undefined {
  for (const [path, step] of namedSteps(record)) {
    const problem = stepProblem(path, step, record.blocks.length);
    if (problem) return problem;
  }
  return undefined;
}

function stepProblem(path: FieldPath, step: StepRecord, blockCount: number): RecordProblem | undefined {
  const at = (...rest: FieldPath): string => fieldName([...path, ...rest]);
  if (step.blocks.length !== blockCount) return { field: at('blocks'), problem: `holds ${step.blocks.length} entries, but the record has ${blockCount} blocks` };
  if (step.errors > step.requests) return { field: at('errors'), problem: `is ${step.errors}, more than the step's requests (${step.requests})` };
  let requests = 0;
  let errors = 0;
  for (const [i, block] of step.blocks.entries()) {
    if (block.errors > block.requests) return { field: at('blocks', i, 'errors'), problem: `is ${block.errors}, more than the block's requests (${block.requests})` };
    requests += block.requests;
    errors += block.errors;
  }
  if (requests !== step.requests) return { field: at('requests'), problem: `is ${step.requests}, but its blocks hold ${requests}` };
  if (errors !== step.errors) return { field: at('errors'), problem: `is ${step.errors}, but its blocks hold ${errors}` };
  const byKind = total(step.errorKinds);
  if (byKind !== step.errors) return { field: at('errorKinds'), problem: `add up to ${byKind}, but the step has ${step.errors} errors` };
  const byStatus = total(step.statuses);
  if (byStatus > step.requests) return { field: at('statuses'), problem: `add up to ${byStatus}, more than the step's requests (${step.requests})` };
  return undefined;
}

/** The overall is the sum of the steps, block by block and status by status. */
function overallProblem(record: RunRecord): RecordProblem | undefined {
  const steps = Object.values(record.steps);
  const { overall } = record;
  const sums: Array<[string, number, number]> = [
    ['requests', overall.requests, sum(steps.map((s) => s.requests))],
    ['errors', overall.errors, sum(steps.map((s) => s.errors))],
  ];
  for (const [key, stated, summed] of sums) {
    if (stated !== summed) return { field: fieldName(['overall', key]), problem: `is ${stated}, but the steps' add up to ${summed}` };
  }
  for (let i = 0; i < record.blocks.length; i++) {
    for (const key of ['requests', 'errors'] as const) {
      const summed = sum(steps.map((s) => s.blocks[i]?.[key] ?? 0));
      const stated = overall.blocks[i]?.[key] ?? 0;
      if (stated !== summed) return { field: fieldName(['overall', 'blocks', i, key]), problem: `is ${stated}, but the steps' add up to ${summed}` };
    }
  }
  for (const key of ['statuses', 'errorKinds'] as const) {
    const summed = new Map<string, number>();
    for (const step of steps) for (const [name, n] of Object.entries(step[key])) summed.set(name, (summed.get(name) ?? 0) + (n ?? 0));
    const names = new Set([...summed.keys(), ...Object.keys(overall[key])]);
    for (const name of names) {
      const stated = (overall[key] as Record<string, number | undefined>)[name] ?? 0;
      const added = summed.get(name) ?? 0;
      if (stated !== added) return { field: fieldName(['overall', key, name]), problem: `is ${stated}, but the steps' add up to ${added}` };
    }
  }
  return undefined;
}

/** The load shape's slices are the warm-up's and the blocks', of the record's scenarios; dropped iterations were due. */
function loadShapeProblem({ meta, blocks, scenarios, loadShape }: RunRecord): RecordProblem | undefined {
  if (loadShape === undefined) return undefined;
  const warmupSlices = warmupSliceCount(meta.warmupMs, meta.blockMs);
  if (loadShape.warmupSlices !== warmupSlices) {
    return { field: 'loadShape.warmupSlices', problem: `is ${loadShape.warmupSlices}, but ${meta.warmupMs} ms of warm-up in ${meta.blockMs} ms blocks make ${warmupSlices}` };
  }
  const slices = warmupSlices + blocks.length;
  for (const [name, shape] of Object.entries(loadShape.scenarios)) {
    const at = (...rest: FieldPath): string => fieldName(['loadShape', 'scenarios', name, ...rest]);
    if (!Object.hasOwn(scenarios, name)) return { field: fieldName(['loadShape', 'scenarios', name]), problem: 'is not one of the record’s scenarios' };
    for (const key of ['vus', 'due', 'dropped'] as const) {
      const values = shape[key];
      if (values !== undefined && values.length !== slices) return { field: at(key), problem: `holds ${values.length} entries, but the warm-up and the blocks make ${slices} slices` };
    }
    if ((shape.due === undefined) !== (shape.dropped === undefined)) {
      const [given, missing] = shape.due === undefined ? ['dropped', 'due'] : ['due', 'dropped'];
      return { field: at(given), problem: `is given without ${missing} (an open-model scenario has both)` };
    }
    const dropped = shape.dropped ?? [];
    for (const [i, n] of dropped.entries()) {
      const due = shape.due?.[i] ?? 0;
      if (n > due) return { field: at('dropped', i), problem: `is ${n}, more than the iterations due then (${due})` };
    }
    for (let i = 1; i < shape.planned.length; i++) {
      const [before, level] = [shape.planned[i - 1]?.atMs ?? 0, shape.planned[i]?.atMs ?? 0];
      if (level < before) return { field: at('planned', i, 'atMs'), problem: `is ${level} ms, before the level before it (${before} ms); levels must be in time order` };
    }
  }
  return undefined;
}

/**
 * The runs of a baseline bundle, before each is read: too many, or too much in all, is refused
 * before any is parsed (each run is then checked like any record).
 */
export function baselineVolumeProblem(runs: readonly unknown[]): RecordProblem | undefined {
  const fix = 'record a new baseline from the default branch';
  if (runs.length > MAX_BASELINE_RUNS) return { field: 'runs', problem: `holds ${runs.length} runs; tailgate reads at most ${MAX_BASELINE_RUNS}`, fix };
  const stepBlocks = sum(runs.map(stepBlockCount));
  if (stepBlocks > MAX_BASELINE_STEP_BLOCKS) {
    return { field: 'runs', problem: `hold ${stepBlocks} step blocks in all (steps and the overall, times blocks); tailgate reads at most ${MAX_BASELINE_STEP_BLOCKS}`, fix };
  }
  return undefined;
}

/** (steps + overall) × blocks of a record, read or not; 0 where its shape says nothing. */
function stepBlockCount(data: unknown): number {
  const record = data as { steps?: unknown; blocks?: unknown } | null;
  if (typeof record !== 'object' || record === null || !Array.isArray(record.blocks)) return 0;
  const steps = typeof record.steps === 'object' && record.steps !== null ? Object.keys(record.steps).length : 0;
  return (steps + 1) * record.blocks.length;
}

/** Every step record with the path that names it: the overall first, then the steps. */
export function namedSteps(record: RunRecord): Array<[FieldPath, StepRecord]> {
  return [[['overall'], record.overall], ...Object.entries(record.steps).map(([name, step]): [FieldPath, StepRecord] => [['steps', name], step])];
}

function total(counts: Partial<Record<string, number>>): number {
  return sum(Object.values(counts).map((n) => n ?? 0));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
