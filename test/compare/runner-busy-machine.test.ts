import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison, RunnerSpeed } from '../../src/compare/comparison-types.js';
import { busyMachineNote, leaveOutSlowBaselines, runnerSpeedOf, slowerRunnerReason } from '../../src/compare/runner-speed.js';
import type { RunnerProbe, RunRecord } from '../../src/record/run-record-types.js';
import { renderHeadline } from '../../src/report/headline.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

/**
 * A busy machine is not a slower runner (docs/gate.md, "A busy machine is not a slower CPU"):
 * crafted fingerprints whose probe says how fast the CPU was by CPU time and how much of a core
 * the probe got, and what the comparison and the report make of each.
 */
const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 8 };
/** A run drawn from the model with the probe given; `slowdown` multiplies its latencies. */
const run = (sequence: number, probe: RunnerProbe | undefined, slowdown = 1): RunRecord => {
  const record = syntheticRun({ model, random: seededRandom(300 + sequence), sequence, ...(slowdown === 1 ? {} : { regression: { factor: slowdown } }) });
  if (probe === undefined) return record;
  return { ...record, meta: { ...record.meta, runnerFingerprint: { cpuModel: 'Test CPU', logicalCores: 2, totalMemoryBytes: 8e9, probe } } };
};
/** A probe whose CPU did `cpu` iterations per CPU-µs and got `sharePct` of a core (its wall-clock speed follows). */
const probe = (cpu: number, sharePct = 98): RunnerProbe => ({ opsPerMicrosecond: (cpu * sharePct) / 100, repeats: 7, opsPerCpuMicrosecond: cpu, cpuSharePct: sharePct });
/** The same probe as a record older than the CPU-time probe has it. */
const wallOnly = (p: RunnerProbe): RunnerProbe => ({ opsPerMicrosecond: p.opsPerMicrosecond, repeats: p.repeats });
const steadyCpu = [560, 566, 555, 570, 552, 563];
const baselines = (): RunRecord[] => steadyCpu.map((cpu, i) => run(i, probe(cpu)));

describe('the runner speed by CPU time', () => {
  it('on a busy machine: the probe got 35% of a core but its CPU was as fast, so the runner is not flagged, and the machine is busy', () => {
    const speed = runnerSpeedOf(run(9, probe(558, 35)), baselines());
    expect(speed).toMatchObject({ basis: 'cpu-time', slower: false, busy: true, cpuSharePct: 35, baselineCpuSharePct: 98 });
    expect(speed?.currentOpsPerMicrosecond).toBe(558);
    expect(Math.abs(speed!.slowerPct)).toBeLessThan(2);
    // The same probes timed by the wall clock alone (records older than this) flag it: 65% slower.
    const byWall = runnerSpeedOf(run(9, wallOnly(probe(558, 35))), baselines().map((r, i) => run(i, wallOnly(r.meta.runnerFingerprint!.probe!))));
    expect(byWall).toMatchObject({ basis: 'wall-time', slower: true });
    expect(byWall?.busy).toBeUndefined();
  });

  it('on a slower CPU: work per CPU-microsecond 25% lower with the whole core, so the runner is flagged, and the machine is not busy', () => {
    const speed = runnerSpeedOf(run(9, probe(448, 99)), baselines());
    expect(speed).toMatchObject({ basis: 'cpu-time', slower: true, busy: false });
    expect(speed?.slowerPct).toBeCloseTo(25, 0);
  });

  it('on a slower CPU in a busy machine: both', () => {
    expect(runnerSpeedOf(run(9, probe(448, 40)), baselines())).toMatchObject({ slower: true, busy: true });
  });

  it('counts a baseline run older than the CPU-time probe by its wall-clock speed, a lower bound, so a busy one cannot flag the current runner', () => {
    // Three older baseline runs were on a busy machine (wall-clock 200); the current CPU is as fast as the others'.
    const mixed = [...baselines().slice(0, 3), ...[0, 1, 2].map((i) => run(20 + i, wallOnly(probe(560, 36))))];
    const speed = runnerSpeedOf(run(9, probe(560, 97)), mixed);
    expect(speed).toMatchObject({ basis: 'cpu-time', slower: false, busy: false, baselineRuns: 6 });
    expect(speed?.baselineCpuSharePct).toBe(98);
  });

  it('falls back on the wall clock when the current record has no CPU-time probe, as before', () => {
    expect(runnerSpeedOf(run(9, { opsPerMicrosecond: 400, repeats: 7 }), baselines().map((r) => run(0, wallOnly(r.meta.runnerFingerprint!.probe!))))).toMatchObject({ basis: 'wall-time', slower: true });
  });

  it('does not leave out a baseline run that was on a busy machine, only one on a slower CPU', () => {
    const history = [...baselines(), run(30, probe(561, 30)), run(31, probe(440, 98))];
    expect(leaveOutSlowBaselines(history).used.map((r) => r.meta.runId)).not.toContain('synthetic-31');
    expect(leaveOutSlowBaselines(history).used.map((r) => r.meta.runId)).toContain('synthetic-30');
  });
});

describe('the comparison', () => {
  it('on a busy machine holds nothing back: a regression stays a regression, and a note says the machine was busy', () => {
    const busy = compareRuns({ baselines: baselines(), current: run(9, probe(558, 35), 1.5) });
    expect(busy.verdict).toBe('regression');
    expect(busy.runnerSpeed).toMatchObject({ busy: true, slower: false, heldRegressions: 0 });
    expect(busy.notes).toContain(busyMachineNote(busy.runnerSpeed!));
    expect(busy.notes.at(-1)).toMatch(/^Machine busy: the generator got 35% of a core on the probe taken before the load \(the baseline runs' probes: a median of 98%\), while its CPU did as much work per CPU-microsecond as the baseline runs' \((0|[+−]\d)%\)\. A busy machine is not a slower runner/u);
    expect(comparisonProblem(JSON.parse(JSON.stringify(busy)))).toBeUndefined();
  });

  it('on a slower CPU holds back the regressions the runner could explain, naming the CPU', () => {
    const slower = compareRuns({ baselines: baselines(), current: run(9, probe(448, 99), 1.5) });
    expect(slower.verdict).toBe('inconclusive');
    expect(slower.runnerSpeed?.heldRegressions).toBeGreaterThan(0);
    expect(slower.steps[0]?.p95.reason).toBe(slowerRunnerReason(slower.runnerSpeed!));
    expect(slower.steps[0]?.p95.reason).toMatch(/^runner slower by 25% \(CPU\): the same arithmetic took 25% more CPU time/);
    expect(slower.notes.some((note) => note.startsWith('Runner slower by 25% (CPU): on the probe taken before the load'))).toBe(true);
    expect(slower.notes.some((note) => note.startsWith('Machine busy'))).toBe(false);
    expect(comparisonProblem(JSON.parse(JSON.stringify(slower)))).toBeUndefined();
  });

  it('the schema refuses a share of a core that is not a percentage', () => {
    const comparison = JSON.parse(JSON.stringify(compareRuns({ baselines: baselines(), current: run(9, probe(558, 35)) }))) as Record<string, any>;
    comparison.runnerSpeed.cpuSharePct = 250;
    expect(comparisonProblem(comparison)).toBe('runnerSpeed.cpuSharePct must be <= 100');
  });
});

describe('the report', () => {
  const regression = JSON.parse(readFileSync(new URL('../report/comparisons/regression.json', import.meta.url), 'utf8')) as Comparison;
  const cpu: RunnerSpeed = { currentOpsPerMicrosecond: 420, baselineOpsPerMicrosecond: 560, baselineRuns: 6, baselineSpreadPct: 1.1, slowerPct: 33.3, slower: true, heldRegressions: 1, basis: 'cpu-time', cpuSharePct: 97, baselineCpuSharePct: 98, busy: false };
  const busy: RunnerSpeed = { ...cpu, currentOpsPerMicrosecond: 555, slowerPct: 0.9, slower: false, heldRegressions: 0, cpuSharePct: 35, busy: true };

  it('names a slower CPU in one line: runner slower by N% (CPU)', () => {
    const lines = renderHeadline({ ...regression, runnerSpeed: cpu });
    expect(lines.filter((l) => l.startsWith('🐢'))).toEqual([
      "🐢 Runner slower by 33% (CPU): the same arithmetic took 33% more CPU time on this run's runner than on the baseline's, on a probe taken before the load (420.0 against a median of 560.0 operations per CPU-microsecond over 6 baseline runs), and a slower CPU slows every latency, so a regression on it is not judged. Paired mode (baseline-url) measures base and head on the same runner and cancels it.",
    ]);
    expect(lines.some((l) => l.startsWith('⏳'))).toBe(false);
  });

  it('names a busy machine in one line: machine busy, the generator got N% of a core, and nothing held back', () => {
    const lines = renderHeadline({ ...regression, runnerSpeed: busy });
    expect(lines.filter((l) => l.startsWith('⏳'))).toEqual([
      "⏳ Machine busy: the generator got 35% of a core on a CPU probe taken before the load (the baseline runs' probes: 98%). A busy machine is not a slower runner, so nothing was held back for it; the generator self-check measures what it adds to latencies and allows for it.",
    ]);
    expect(lines.some((l) => l.startsWith('🐢'))).toBe(false);
    // The verdict's own line is the regression's, as without the probe.
    expect(lines[0]).toBe(renderHeadline(regression)[0]);
  });

  it('says nothing of a runner neither slower nor busy', () => {
    expect(renderHeadline({ ...regression, runnerSpeed: { ...busy, cpuSharePct: 97, busy: false } })).toEqual(renderHeadline(regression));
  });

  it('the terminal prints both as notes', () => {
    const slower = compareRuns({ baselines: baselines(), current: run(9, probe(448, 40), 1.5) });
    const table = formatComparisonTable(slower, 400);
    expect(table).toMatch(/note: Runner slower by 25% \(CPU\): on the probe taken before the load/);
    expect(table).toMatch(/note: Machine busy: the generator got 40% of a core on the probe taken before the load/);
  });
});
