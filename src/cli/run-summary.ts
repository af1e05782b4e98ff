import { describeSource } from '../import/source-description.js';
import { decodeHistogram, percentileMs } from '../record/histogram.js';
import { percentileOfCounts } from '../record/latency-counts.js';
import { stepPhases } from '../record/phase-totals.js';
import { PHASE_METRICS, REQUEST_PHASES } from '../record/request-phases.js';
import type { RunRecord, ServerTimingRecord, StepRecord, SummaryMetrics } from '../record/run-record-types.js';
import { cpuPerRequest, CPU_SERIES, memoryTrend, MEMORY_SERIES } from '../record/target-metrics.js';
import { allFailed, errorParts, formatErrors, formatParts, statusParts } from '../report/error-breakdown.js';

/** The run's numbers as a plain-text table for the terminal, warnings first. */
export function formatRunSummary(record: RunRecord): string {
  const lines: string[] = [];
  const { meta, generator } = record;
  lines.push(`profile ${meta.profile.id} (${meta.profile.hash}) against ${meta.target}`);
  lines.push(
    `measured ${(meta.measuredMs / 1000).toFixed(1)}s after ${(meta.warmupMs / 1000).toFixed(1)}s warm-up, in ${record.blocks.length} blocks of ${(meta.blockMs / 1000).toFixed(1)}s`,
  );
  if (meta.source) lines.push(...describeSource(meta.source));
  if (record.setup) {
    const steps = record.setup.steps.map((s) => `${s.name} ${s.status} in ${s.latencyMs.toFixed(1)} ms`).join(', ');
    lines.push(`setup ${(record.setup.durationMs / 1000).toFixed(1)}s before the load (apart from every statistic): ${steps || 'stopped before its first answer'}`);
  }
  if (record.teardown) {
    const steps = record.teardown.steps.map((s) => `${s.name} ${s.status} in ${s.latencyMs.toFixed(1)} ms`).join(', ');
    lines.push(`teardown ${(record.teardown.durationMs / 1000).toFixed(1)}s after the load (apart from every statistic): ${steps || 'no step answered'}`);
    const failed = record.teardown.failed;
    if (failed) lines.push(`TEARDOWN FAILED at ${failed.step}: ${failed.message} (the run is judged all the same; what the teardown should have cleaned up may still be there)`);
  }
  if (allFailed(record.overall)) {
    const parts = errorParts(record.overall);
    lines.push(
      `ALL REQUESTS FAILED: every one of the ${record.overall.requests} measured requests was an error${parts.length > 0 ? ` (${formatParts(parts, plain)})` : ''}; the latencies below time the failures, not a working service.`,
    );
  }
  if (meta.interrupted) lines.push('INTERRUPTED: the run was stopped early; the numbers cover what ran until then.');
  const scrapeTrouble = targetMetricsWarning(record);
  if (scrapeTrouble) lines.push(scrapeTrouble);
  if (!generator.valid) {
    lines.push('INVALID RUN: the load generator, not the target, was the bottleneck:');
    for (const reason of generator.reasons) lines.push(`  - ${reason}`);
  }
  for (const [name, scenario] of Object.entries(record.scenarios)) {
    if (scenario.droppedIterations) {
      lines.push(
        `scenario ${name}: ${scenario.droppedIterations} of ${scenario.intendedIterations} iterations dropped (no free VU; raise maxVUs): ${scenario.achievedRate}/s of ${scenario.intendedRate}/s`,
      );
    }
  }
  const scenarios = Object.entries(record.scenarios).filter(([, s]) => s.results);
  if (scenarios.length > 1) {
    lines.push('');
    const width = Math.max(...scenarios.map(([name]) => name.length));
    for (const [name, s] of scenarios) {
      const o = (s.results as NonNullable<typeof s.results>).overall;
      const p95 = percentileMs(decodeHistogram(o.histogram), 95);
      lines.push(`scenario ${name.padEnd(width)}  ${o.requests} requests, ${o.errors} errors, p95 ${p95.toFixed(2)} ms`);
    }
  }
  lines.push('');
  const header = ['step', 'requests', 'errors', 'rps', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const rows = [
    ...Object.entries(record.summary.steps).map(([name, m]) => row(name, m)),
    row('all steps', record.summary.overall),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  lines.push(format(header));
  for (const r of rows) lines.push(format(r));
  const phases = formatPhases(record);
  if (phases.length > 0) lines.push('', ...phases);
  const groups = formatGroups(record);
  if (groups.length > 0) lines.push('', ...groups);
  const timing = formatServerTiming(record);
  if (timing.length > 0) lines.push('', ...timing);
  const resources = formatTargetMetrics(record);
  if (resources.length > 0) lines.push('', ...resources);
  lines.push('', ...formatOutcomes(record));
  if (record.checks) lines.push('', ...formatChecks(record.checks));
  lines.push('');
  if (meta.source) {
    lines.push(`generator: ${meta.source.tool}'s own, not checked by tailgate (watch its own warnings)`);
    return lines.join('\n');
  }
  lines.push(
    `generator: ${(generator.cpuCores * 100).toFixed(0)}% of a core, event-loop delay p99 ${generator.eventLoopDelayP99Ms} ms, ${generator.lateStarts} late starts, peak RSS ${(generator.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  return lines.join('\n');
}

/** The terminal shows the run's own names as they are. */
const plain = (text: string): string => text;

/**
 * The status codes answered and the errors by kind: `errors 228 (100%): 500 ×228`, each step's
 * errors when more than one step had any, and every response by code.
 */
function formatOutcomes(record: RunRecord): string[] {
  const lines = [`errors ${formatErrors(record.overall, plain)}`];
  const failing = Object.entries(record.steps).filter((entry): entry is [string, StepRecord] => entry[1] !== undefined && entry[1].errors > 0);
  if (failing.length > 1) for (const [name, step] of failing) lines.push(`  ${name}: ${formatErrors(step, plain)}`);
  const statuses = statusParts(record.overall.statuses);
  const none = record.meta.source?.fidelity === 'aggregate' ? 'status codes not in the file (percentiles per window only)' : 'none (no request got an answer)';
  lines.push(`responses: ${statuses.length > 0 ? formatParts(statuses, plain) : none}`);
  return lines;
}

function row(name: string, m: SummaryMetrics): string[] {
  return [
    name,
    String(m.requests),
    m.errors > 0 ? `${m.errors} (${m.requests > 0 ? `${((100 * m.errors) / m.requests).toFixed(m.errors === m.requests ? 0 : 1)}%` : '–'})` : '0',
    m.rps.toFixed(1),
    m.p50.toFixed(2),
    m.p95.toFixed(2),
    m.p99.toFixed(2),
    m.max.toFixed(2),
  ];
}

/**
 * Where each step's requests spent their time, by k6's phases (http_req_blocked ...
 * http_req_receiving): p95 of each, ms. Absent for a record older than the phases.
 */
function formatPhases(record: RunRecord): string[] {
  const steps = stepPhases(record);
  if (steps.length === 0) return [];
  const header = ['request phases p95 ms', ...REQUEST_PHASES.map((phase) => PHASE_METRICS[phase].slice('http_req_'.length))];
  const rows = steps.map(({ step, phases }) => [step ?? 'all steps', ...REQUEST_PHASES.map((phase) => percentileOfCounts(phases[phase], 95).toFixed(2))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [format(header), ...rows.map(format)];
}

/** Each scenario's groups (k6's group_duration): how many iterations finished each, its p50 and p95, ms. */
function formatGroups(record: RunRecord): string[] {
  const lines: string[] = [];
  for (const [scenario, s] of Object.entries(record.scenarios)) {
    for (const [group, encoded] of Object.entries(s.groupDurations ?? {})) {
      const h = decodeHistogram(encoded);
      lines.push(`  ${scenario} ${group}: ${h.totalCount} times, p50 ${percentileMs(h, 50).toFixed(2)} ms, p95 ${percentileMs(h, 95).toFixed(2)} ms`);
    }
  }
  return lines.length === 0 ? [] : ['groups (group_duration, from the first request\'s start to the last one\'s end):', ...lines];
}

/**
 * Where each step's time went by the target's own account (`Server-Timing`): each component's
 * p50 and p95 of `dur`, busiest first, and the entries that were malformed or dropped.
 */
function formatServerTiming(record: RunRecord): string[] {
  const steps = Object.entries(record.steps).filter((entry): entry is [string, StepRecord & { serverTiming: ServerTimingRecord }] => entry[1]?.serverTiming !== undefined);
  if (steps.length === 0) return [];
  const lines = ['Server-Timing (p50 / p95 of dur, as the target reported it):'];
  const width = Math.max(...steps.map(([name]) => name.length));
  for (const [name, step] of steps) {
    const timing = step.serverTiming;
    const parts = Object.entries(timing.components)
      .map(([component, c]) => ({ component, c, h: decodeHistogram(c.histogram) }))
      .sort((a, b) => percentileMs(b.h, 95) - percentileMs(a.h, 95) || a.component.localeCompare(b.component))
      .map(({ component, c, h }) => {
        const shown = `${component}${c.description !== undefined ? ` (${terminalText(c.description)})` : ''}`;
        return h.totalCount === 0 ? `${shown} ×${c.entries} without dur` : `${shown} ${percentileMs(h, 50).toFixed(2)} / ${percentileMs(h, 95).toFixed(2)} ms`;
      });
    const issues = [timing.malformed > 0 ? `${timing.malformed} malformed entries skipped` : '', timing.dropped > 0 ? `${timing.dropped} entries dropped (beyond 20 names)` : ''].filter((t) => t !== '');
    lines.push(`  ${name.padEnd(width)}  ${parts.join(', ') || 'no component'}${issues.length > 0 ? `; ${issues.join(', ')}` : ''}`);
  }
  return lines;
}

/** Scrapes of the target's metrics that failed or said less than asked: a warning, never a failed run. */
function targetMetricsWarning(record: RunRecord): string | undefined {
  const metrics = record.targetMetrics;
  if (metrics === undefined || metrics.warnings.length === 0) return undefined;
  const failed = metrics.failed > 0 ? `${metrics.failed} of ${metrics.scrapes} scrapes failed; ` : '';
  return `WARNING target metrics: ${failed}${metrics.warnings.map(terminalText).join('; ')} (the latency gate is not affected)`;
}

/** What the target's own metrics say: CPU per request, memory at the end and its slope, and each other series' last value. */
function formatTargetMetrics(record: RunRecord): string[] {
  const metrics = record.targetMetrics;
  if (metrics === undefined) return [];
  const lines = [`Target metrics (${terminalText(metrics.url)}, ${metrics.scrapes - metrics.failed} of ${metrics.scrapes} scrapes):`];
  const cpu = cpuPerRequest(record);
  if (cpu) lines.push(`  CPU     ${(cpu.cpuSecondsPerRequest * 1000).toFixed(3)} ms per request (${cpu.cores.toFixed(2)} cores busy over the measured period)`);
  else if (metrics.series[CPU_SERIES]) lines.push(`  CPU     not derived: ${CPU_SERIES} needs two samples a second apart, no restart, and requests`);
  const memory = memoryTrend(record);
  if (memory) {
    const slope = memory.slopeBytesPerMinute === undefined ? '' : `, ${memory.slopeBytesPerMinute >= 0 ? '+' : '-'}${megabytes(Math.abs(memory.slopeBytesPerMinute))} a minute`;
    lines.push(`  memory  ${megabytes(memory.endBytes)} at the end${slope}`);
  }
  for (const [name, series] of Object.entries(metrics.series)) {
    if (name === CPU_SERIES || name === MEMORY_SERIES) continue;
    const last = series.blocks.filter((s) => s !== null).at(-1);
    lines.push(`  ${terminalText(name)}  ${last ? Number(last.value.toPrecision(6)) : 'no value'} at the end (${series.type})`);
  }
  return lines;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Text from the target, without the control characters that could drive a terminal. */
function terminalText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** The `checks` metric as k6 prints it: the rate over all checks, then each check's passes. */
function formatChecks(checks: NonNullable<RunRecord['checks']>): string[] {
  const all = Object.values(checks);
  const passes = all.reduce((sum, c) => sum + c.passes, 0);
  const total = passes + all.reduce((sum, c) => sum + c.fails, 0);
  const rate = total === 0 ? 'no checks ran' : `${((100 * passes) / total).toFixed(2)}% of ${total} passed`;
  return [`checks: ${rate}`, ...Object.entries(checks).map(([name, c]) => `  ${c.fails === 0 ? 'ok  ' : 'FAIL'} ${name}: ${c.passes} of ${c.passes + c.fails} passed`)];
}
