import { decodeHistogram, encodeHistogram, mergeHistograms } from './histogram.js';
import { mergedSource } from './merged-source.js';
import { RecordError } from './record-error.js';
import { OPTIONAL_TOTALS_HISTOGRAMS } from './request-phases.js';
import type { BlockRecord, CheckRecord, GeneratorRecord, ScenarioResults, StepTotals, LatenessEffect, RunRecord, ScenarioRecord, ScenarioShape, StepRecord, TargetMetricsRecord } from './run-record-types.js';
import { mergeServerTiming } from './server-timing-merge.js';
import { withinComponentBudget } from './server-timing-tally.js';
import { summarizeRun } from './summary.js';
import { MAX_TARGET_WARNINGS } from './target-metrics.js';

export interface NamedRecord {
  file: string;
  record: RunRecord;
}

/**
 * Checks that records are one whole split run: each was run as a shard, all of the same count,
 * every index once. `where` names where they came from, for the message.
 */
export function checkShardSet(inputs: readonly NamedRecord[], where: string): void {
  const fix = 'let this job start only after every shard job succeeded (needs: on the matrix job), and re-run a failed shard';
  const first = inputs[0];
  if (!first) throw new RecordError(where, 'holds no shard records', fix);
  const count = first.record.meta.shard?.count;
  const seen = new Map<number, string>();
  for (const { file, record } of inputs) {
    const shard = record.meta.shard;
    if (!shard) throw new RecordError(file, 'was not run as a shard (no meta.shard)', 'merge only records of jobs run with shard: i/n');
    if (shard.count !== count) throw new RecordError(file, `is shard ${shard.index}/${shard.count}, but ${first.file} is one of ${count}`, 'give every matrix job the same shard count');
    const twin = seen.get(shard.index);
    if (twin) throw new RecordError(file, `is shard ${shard.index}/${shard.count}, as is ${twin}`, 'give each matrix job its own index, 1 to n');
    seen.set(shard.index, file);
  }
  const missing = Array.from({ length: count ?? 0 }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) {
    throw new RecordError(where, `holds ${seen.size} of ${count} shards: ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, fix);
  }
}

/** Shards merge only when they measured together: their common stretch at least this part of the shortest's period. */
export const MIN_SHARD_OVERLAP = 0.8;

/**
 * When a record measured, in ms since the epoch: from the end of its warm-up (its setup, which
 * runs before the schedule, counted out) for its measured period.
 */
export function measuredPeriod(record: RunRecord): { startMs: number; endMs: number } {
  const startMs = Date.parse(record.meta.startedAt) + (record.setup?.durationMs ?? 0) + record.meta.warmupMs;
  return { startMs, endMs: startMs + record.meta.measuredMs };
}

/**
 * Checks that shards ran their shares at the same time, so that their sum is a load that really
 * ran: shards measured one after the other (jobs that did not start together, a shard re-run
 * alone) are refused, naming each shard's period and the fix. Shards that overlap enough but
 * started a block or more apart merge, with the returned warning: block i of one is added to
 * block i of another.
 */
export function checkShardsOverlap(inputs: readonly NamedRecord[]): string | undefined {
  const periods = inputs.map((input) => ({ ...input, ...measuredPeriod(input.record) })).sort((a, b) => a.startMs - b.startMs);
  if (periods.length < 2) return undefined;
  const shortestMs = Math.min(...periods.map((p) => p.record.meta.measuredMs));
  if (shortestMs <= 0) return undefined;
  const commonMs = Math.max(0, Math.min(...periods.map((p) => p.endMs)) - Math.max(...periods.map((p) => p.startMs)));
  const offsetMs = Math.max(...periods.map((p) => p.startMs)) - Math.min(...periods.map((p) => p.startMs));
  const part = commonMs / shortestMs;
  const name = (p: (typeof periods)[number]): string => (p.record.meta.shard ? `shard ${p.record.meta.shard.index}/${p.record.meta.shard.count} (${p.file})` : p.file);
  if (part < MIN_SHARD_OVERLAP) {
    const list = periods.map((p) => `${name(p)} measured ${clock(p.startMs)} to ${clock(p.endMs)}`).join(', ');
    throw new RecordError(
      periods.map((p) => p.file).join(', '),
      `did not run together: ${list}; they measured at the same time for ${secondsText(commonMs)} of the shortest's ${secondsText(shortestMs)} (${Math.round(part * 100)}%, a merge needs ${MIN_SHARD_OVERLAP * 100}%). Merged, they would report a load that never ran at once`,
      'run the shards at the same time: give every shard the same start, tailgate run --shard I/N --start-at T (the Action: shard-start), T a little ahead of when the last one begins; then merge the new records',
    );
  }
  if (offsetMs < Math.min(...inputs.map((i) => i.record.meta.blockMs))) return undefined;
  return `the shards started up to ${secondsText(offsetMs)} apart (they measured together for ${Math.round(part * 100)}% of the shortest's period): each merged block adds loads up to ${secondsText(offsetMs)} apart; a common start (--start-at, shard-start) aligns them`;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().replace(/(\.\d)\d\dZ$/, '$1Z');
}

function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Combines the records of shards that ran the same profile at the same time into one, exactly:
 * histograms are added bucket by bucket and counts summed, block by block.
 */
export function mergeRecords(inputs: readonly NamedRecord[]): RunRecord {
  const first = inputs[0];
  if (!first) throw new RecordError('(no files)', 'nothing to merge', 'pass two or more run records');
  for (const { file, record } of inputs.slice(1)) {
    if (record.meta.profile.hash !== first.record.meta.profile.hash || record.meta.profile.id !== first.record.meta.profile.id) {
      throw new RecordError(
        file,
        `recorded profile ${record.meta.profile.id} (hash ${record.meta.profile.hash}), but ${first.file} recorded ${first.record.meta.profile.id} (hash ${first.record.meta.profile.hash})`,
        'merge only the shards of one run of one profile',
      );
    }
    if (record.meta.blockMs !== first.record.meta.blockMs) {
      throw new RecordError(file, `uses ${record.meta.blockMs} ms blocks, ${first.file} uses ${first.record.meta.blockMs} ms`, 'merge only records of the same profile');
    }
  }
  const records = inputs.map((i) => i.record);
  const longest = records.reduce((a, b) => (b.blocks.length > a.blocks.length ? b : a));
  const blockCount = longest.blocks.length;
  const stepNames = [...new Set(records.flatMap((r) => Object.keys(r.steps)))];
  // Shards of one seed draw its streams apart (by shard), so the seed repeats the merge; of several seeds, none does.
  const { seed, ...firstMeta } = first.record.meta;
  const oneSeed = seed !== undefined && records.every((r) => r.meta.seed === seed);
  const merged: Omit<RunRecord, 'summary'> = {
    schema: first.record.schema,
    meta: {
      ...firstMeta,
      ...(oneSeed ? { seed } : {}),
      startedAt: records.map((r) => r.meta.startedAt).sort()[0] as string,
      endedAt: records.map((r) => r.meta.endedAt).sort().at(-1) as string,
      measuredMs: Math.max(...records.map((r) => r.meta.measuredMs)),
      interrupted: records.some((r) => r.meta.interrupted),
      // A shard stopped by an abortOnFail threshold stopped the merge's load too: the first one says why.
      ...abortedMeta(records),
      mergedFrom: records.reduce((sum, r) => sum + (r.meta.mergedFrom ?? 1), 0),
      // Imported shares keep saying which tool made them.
      ...mergedSource(records),
    },
    scenarios: mergeScenarios(records),
    // Each shard ran the setup once against the same target: the first one's stands for all.
    ...(first.record.setup ? { setup: first.record.setup } : {}),
    // And the teardown once after its load: the first shard's stands for all, as the setup's.
    ...(first.record.teardown ? { teardown: first.record.teardown } : {}),
    ...mergeChecks(records),
    generator: mergeGenerators(inputs),
    blocks: longest.blocks,
    overall: mergeSteps(records.map((r) => r.overall), blockCount),
    steps: Object.fromEntries(
      stepNames.map((name) => [name, mergeSteps(records.map((r) => r.steps[name]).filter((s): s is StepRecord => s !== undefined), blockCount)]),
    ),
    ...mergeLoadShapes(records, blockCount),
    ...mergeTargetMetrics(records, blockCount),
  };
  delete merged.meta.shard;
  // Shards' names add up: the merge keeps within a record's budget of component blocks as a run does.
  withinComponentBudget(merged.steps);
  // Shards run on runners of their own: no one fingerprint stands for the merge.
  delete merged.meta.runnerFingerprint;
  return { ...merged, summary: summarizeRun(merged) };
}

function mergeSteps(steps: StepRecord[], blockCount: number): StepRecord {
  const blocks: BlockRecord[] = [];
  for (let i = 0; i < blockCount; i++) {
    const parts = steps.map((s) => s.blocks[i]).filter((b): b is BlockRecord => b !== undefined);
    blocks.push({
      histogram: encodeHistogram(mergeHistograms(parts.map((b) => decodeHistogram(b.histogram)))),
      requests: sum(parts.map((b) => b.requests)),
      errors: sum(parts.map((b) => b.errors)),
    });
  }
  return {
    histogram: encodeHistogram(mergeHistograms(steps.map((s) => decodeHistogram(s.histogram)))),
    requests: sum(steps.map((s) => s.requests)),
    errors: sum(steps.map((s) => s.errors)),
    statuses: addCounts(steps.map((s) => s.statuses)) as Record<string, number>,
    errorKinds: addCounts(steps.map((s) => s.errorKinds)),
    blocks,
    ...(steps.some((s) => s.interrupted) ? { interrupted: sum(steps.map((s) => s.interrupted ?? 0)) } : {}),
    ...mergeServerTiming(steps, blockCount),
  };
}

function abortedMeta(records: readonly RunRecord[]): Pick<RunRecord['meta'], 'aborted'> {
  const aborted = records.find((r) => r.meta.aborted)?.meta.aborted;
  return aborted ? { aborted } : {};
}

/** Two shards' group durations of one scenario, group by group, added exactly. */
function mergeGroups(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return Object.fromEntries(names.map((n) => [n, encodeHistogram(mergeHistograms([a[n], b[n]].filter((h): h is string => h !== undefined).map(decodeHistogram)))]));
}

/** Two shards' results of one scenario, added exactly. */
function mergeResults(a: ScenarioResults, b: ScenarioResults): ScenarioResults {
  const add = (x: StepTotals | undefined, y: StepTotals | undefined): StepTotals => {
    const parts = [x, y].filter((t): t is StepTotals => t !== undefined);
    // A phase an older shard did not record is left out: a sum of some shards would mislead.
    const phases = OPTIONAL_TOTALS_HISTOGRAMS.filter((phase) => parts.every((t) => t[phase] !== undefined)).map((phase) => [phase, encodeHistogram(mergeHistograms(parts.map((t) => decodeHistogram(t[phase] as string))))]);
    return {
      histogram: encodeHistogram(mergeHistograms(parts.map((t) => decodeHistogram(t.histogram)))),
      ...Object.fromEntries(phases),
      requests: sum(parts.map((t) => t.requests)),
      errors: sum(parts.map((t) => t.errors)),
      statuses: addCounts(parts.map((t) => t.statuses)) as Record<string, number>,
      errorKinds: addCounts(parts.map((t) => t.errorKinds)),
    };
  };
  const names = [...new Set([...Object.keys(a.steps), ...Object.keys(b.steps)])];
  return { overall: add(a.overall, b.overall), steps: Object.fromEntries(names.map((n) => [n, add(a.steps[n], b.steps[n])])) };
}

function mergeChecks(records: readonly RunRecord[]): Pick<RunRecord, 'checks'> {
  if (!records.some((r) => r.checks)) return {};
  const checks = Object.create(null) as Record<string, CheckRecord>;
  for (const record of records) {
    for (const [name, c] of Object.entries(record.checks ?? {})) {
      const sum = (checks[name] ??= { passes: 0, fails: 0 });
      sum.passes += c.passes;
      sum.fails += c.fails;
    }
  }
  return { checks };
}

function mergeScenarios(records: RunRecord[]): Record<string, ScenarioRecord> {
  const merged: Record<string, ScenarioRecord> = {};
  for (const record of records) {
    for (const [name, s] of Object.entries(record.scenarios)) {
      const m = merged[name];
      if (!m) {
        merged[name] = { ...s };
        continue;
      }
      if (m.results && s.results) m.results = mergeResults(m.results, s.results);
      else delete m.results;
      if (m.iterationDurations !== undefined && s.iterationDurations !== undefined) m.iterationDurations = encodeHistogram(mergeHistograms([m.iterationDurations, s.iterationDurations].map(decodeHistogram)));
      else delete m.iterationDurations;
      if (m.groupDurations !== undefined && s.groupDurations !== undefined) m.groupDurations = mergeGroups(m.groupDurations, s.groupDurations);
      else delete m.groupDurations;
      m.iterations += s.iterations;
      m.maxVUs += s.maxVUs;
      for (const key of ['intendedIterations', 'droppedIterations', 'intendedRate', 'achievedRate', 'interruptedIterations'] as const) {
        if (s[key] !== undefined) m[key] = Math.round(((m[key] ?? 0) + s[key]) * 100) / 100;
      }
    }
  }
  return merged;
}

/**
 * Shards ran side by side, each a part of the load: their shapes add up slice by slice, and so do
 * the levels they asked for. Kept only when every shard recorded one.
 */
function mergeLoadShapes(records: readonly RunRecord[], blockCount: number): Pick<RunRecord, 'loadShape'> {
  const shapes = records.flatMap((r) => (r.loadShape ? [r.loadShape] : []));
  const first = shapes[0];
  if (first === undefined || shapes.length !== records.length || shapes.some((s) => s.warmupSlices !== first.warmupSlices)) return {};
  const length = first.warmupSlices + blockCount;
  const add = (parts: ReadonlyArray<readonly number[] | undefined>): number[] =>
    Array.from({ length }, (_, i) => Math.round(sum(parts.map((p) => p?.[i] ?? 0)) * 100) / 100);
  const scenarios: Record<string, ScenarioShape> = {};
  for (const name of new Set(shapes.flatMap((s) => Object.keys(s.scenarios)))) {
    const parts = shapes.flatMap((s) => (Object.hasOwn(s.scenarios, name) ? [s.scenarios[name] as ScenarioShape] : []));
    const open = parts.some((p) => p.due !== undefined);
    const planned = (parts[0] as ScenarioShape).planned;
    const samePlan = parts.every((p) => p.planned.length === planned.length && p.planned.every((level, i) => level.atMs === planned[i]?.atMs));
    scenarios[name] = {
      planned: samePlan ? planned.map((level, i) => ({ atMs: level.atMs, target: Math.round(sum(parts.map((p) => p.planned[i]?.target ?? 0)) * 100) / 100 })) : [],
      vus: add(parts.map((p) => p.vus)),
      ...(open ? { due: add(parts.map((p) => p.due)), dropped: add(parts.map((p) => p.dropped)) } : {}),
    };
  }
  return { loadShape: { warmupSlices: first.warmupSlices, scenarios } };
}

function mergeGenerators(inputs: readonly NamedRecord[]): GeneratorRecord {
  const generators = inputs.map((i) => i.record.generator);
  return {
    valid: generators.every((g) => g.valid),
    reasons: inputs.flatMap((i) => i.record.generator.reasons.map((reason) => `${i.file}: ${reason}`)),
    eventLoopDelayP99Ms: Math.max(...generators.map((g) => g.eventLoopDelayP99Ms)),
    eventLoopDelayMaxMs: Math.max(...generators.map((g) => g.eventLoopDelayMaxMs)),
    lateStarts: sum(generators.map((g) => g.lateStarts)),
    lateThresholdMs: Math.max(...generators.map((g) => g.lateThresholdMs)),
    cpuCores: Math.max(...generators.map((g) => g.cpuCores)),
    maxRssBytes: Math.max(...generators.map((g) => g.maxRssBytes)),
    ...mergeLateness(generators),
  };
}

/** Each shard's generator kept its own time: the merged run is bounded by the worst of them. */
function mergeLateness(generators: readonly GeneratorRecord[]): Pick<GeneratorRecord, 'lateness'> {
  const parts = generators.flatMap((g) => (g.lateness ? [g.lateness] : []));
  const first = parts[0];
  if (!first) return {};
  const max = (pick: (l: LatenessEffect) => number): number => Math.max(...parts.map(pick));
  return {
    lateness: {
      starts: sum(parts.map((l) => l.starts)),
      lateTotalMs: Math.round(sum(parts.map((l) => l.lateTotalMs)) * 100) / 100,
      lateMaxMs: max((l) => l.lateMaxMs),
      lateFractionUpper: max((l) => l.lateFractionUpper),
      p95Pct: max((l) => l.p95Pct),
      throughputPct: max((l) => l.throughputPct),
      limitP95Pct: first.limitP95Pct,
      limitThroughputPct: first.limitThroughputPct,
    },
  };
}

function addCounts<K extends string>(maps: Array<Partial<Record<K, number>>>): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const map of maps) for (const [k, v] of Object.entries(map) as Array<[K, number]>) out[k] = (out[k] ?? 0) + v;
  return out;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * The target's own metrics of a merge: every shard scraped the same target, whose CPU counter and
 * memory are its own, not a shard's share, so one shard's scrapes stand for all (the first that
 * scraped, as its setup does), laid on the merge's blocks, beside the requests of every shard.
 * Shards that scraped different endpoints (each its own instance) have no one target to speak
 * for: the merge then keeps none, and says nothing of CPU per request.
 */
function mergeTargetMetrics(records: readonly RunRecord[], blockCount: number): Pick<RunRecord, 'targetMetrics'> {
  const scraped = records.flatMap((r) => (r.targetMetrics ? [{ record: r, metrics: r.targetMetrics }] : []));
  const first = scraped[0];
  if (first === undefined || scraped.some((s) => s.metrics.url !== first.metrics.url)) return {};
  const { metrics } = first;
  const shard = first.record.meta.shard;
  const which = shard ? `shard ${shard.index}/${shard.count}'s` : "the first shard's";
  const note = `merged from ${records.length} shards: the series are ${which} scrapes of ${metrics.url} (${scraped.length} of ${records.length} scraped it)`;
  const series = Object.fromEntries(
    Object.entries(metrics.series).map(([name, s]) => [name, { ...s, blocks: Array.from({ length: blockCount }, (_, i) => s.blocks[i] ?? null) }]),
  );
  const merged: TargetMetricsRecord = { ...metrics, warnings: [...metrics.warnings, note].slice(-MAX_TARGET_WARNINGS), series };
  return { targetMetrics: merged };
}
