import { BUSY_ELSEWHERE, SATURATED } from './bench-summary.mjs';
import { RSS_FRACTIONS } from './memory-test.mjs';

/** Renders the results (as written to results.json) as the text table the bench prints. Pure. */
export function renderReport(results) {
  const { settings, method, summary, memory } = results;
  const lines = [];
  lines.push(
    `tailgate load-engine bench: ${settings.connections} connections, ${settings.durationS} s per run, ${settings.reps} interleaved rep(s), medians over reps`,
  );
  lines.push(`pinning: ${method.pinning}`);
  lines.push(`CPU: ${method.cpu}`);
  for (const [kind, { generators, ratios }] of Object.entries(summary)) {
    lines.push('', `target ${kind} (${results.targets[kind]})`);
    const rows = [['generator', 'rps', 'spread', 'CPU µs/req', 'user+sys', 'gen core', 'target core', 'bound', 'others', 'p50 ms', 'p99 ms', 'peak RSS', 'errors']];
    for (const [name, g] of Object.entries(generators)) {
      rows.push([
        name,
        int(g.rps),
        pct(g.rpsSpread),
        fixed(g.cpuUsPerRequest, 2),
        g.userUsPerRequest === undefined ? '-' : `${fixed(g.userUsPerRequest, 1)}+${fixed(g.sysUsPerRequest, 1)}`,
        pct(g.generatorCore),
        pct(g.targetCore),
        g.bound ?? '-',
        fixed(g.othersCores, 2),
        latency(g.p50Ms, g.latencyResolutionMs),
        latency(g.p99Ms, g.latencyResolutionMs),
        mib(g.maxRssBytes),
        g.failed > 0 ? `${g.errors} (${g.failed} run(s) failed)` : String(g.errors),
      ]);
    }
    lines.push(...table(rows));
    for (const [peer, r] of Object.entries(ratios)) {
      const byRep = r.rpsByRepetition;
      const reps = byRep ? ` (per repetition ${times(byRep.low)} to ${times(byRep.high)}, ahead in ${byRep.ahead} of ${byRep.of})` : '';
      lines.push(`  tailgate/${peer}: rps ${times(r.rps)}${reps}, CPU per request ${times(r.cpuPerRequest)}`);
    }
  }
  lines.push(
    '',
    `How to read: rps ratio > 1 means tailgate drove more requests; CPU-per-request ratio > 1 means tailgate spent more CPU on each.`,
    `"bound" names the core(s) above ${SATURATED * 100}% busy: when the target is, rps mostly measures the target and CPU per request is the fairer comparison.`,
    `"user+sys" splits CPU per request into the generator's own code (user) and the kernel's socket work (sys), which all generators share.`,
    `"others" is the cores kept busy by other processes meanwhile (from /proc/stat): ~0 on an idle machine.`,
  );
  const noisy = Object.values(summary).some(({ generators }) => Object.values(generators).some((g) => (g.othersCores ?? 0) > BUSY_ELSEWHERE));
  if (noisy) {
    lines.push(`WARNING: other processes kept more than ${BUSY_ELSEWHERE} core(s) busy during some runs ("others"): the numbers are noisy; run again on an idle machine.`);
  }
  if (results.serverTimingOverhead) {
    const { ratio, byRepetition, cpuPerRequestRatio, cpuByRepetition } = results.serverTimingOverhead;
    const list = (values) => values.map((r) => r.toFixed(3)).join(', ');
    lines.push(
      '',
      `Server-Timing parsing: tailgate's rate against node-st (the header on every response) over its rate against node (none): ${ratio.toFixed(3)} (per repetition ${list(byRepetition)}); the target: within 5%, 0.95 or more.`,
      `  its CPU per request there over here: ${cpuPerRequestRatio.toFixed(3)} (per repetition ${list(cpuByRepetition)}); 1.05 or less is within 5%.`,
    );
  }
  if (memory) lines.push('', ...renderMemory(memory));
  else if (results.memorySkipped) lines.push('', `memory test: skipped (${results.memorySkipped})`);
  return lines.join('\n');
}

function renderMemory(m) {
  const rows = [['run', 'duration', 'requests', 'rps', ...RSS_FRACTIONS.map((f) => `RSS @${f * 100}%`), 'RSS at end', 'peak RSS', 'heap after full GC']];
  for (const [name, run] of [['short', m.short], ['long', m.long]]) {
    rows.push([
      name,
      `${run.durationS} s`,
      int(run.requests),
      int(run.rps),
      ...run.rssAtBytes.map(mib),
      mib(run.rssAtEndBytes),
      mib(run.peakRssBytes),
      heapRange(run.heapAfterFullGcBytes),
    ]);
  }
  const growth = m.long.peakRssBytes - m.short.peakRssBytes;
  return [
    `memory: tailgate, ${m.connections} VUs against ${m.target}; RSS sampled every 250 ms from /proc (RSS @x% = at x% of the load period);`,
    `  heap after full GC = live JS heap after each Mark-Compact (node --trace-gc): min..max over the run (count)`,
    ...table(rows),
    `  peak RSS, long vs short: ${growth >= 0 ? '+' : ''}${mib(growth)} for ${times(m.long.requests / m.short.requests)} the requests` +
      (m.bytesPerExtraRequest !== undefined ? ` (${m.bytesPerExtraRequest.toFixed(1)} bytes per extra request)` : '') +
      (m.peakRssRatio !== undefined ? `; long/short ${m.peakRssRatio.toFixed(2)} (about 1.00 when memory is bounded)` : ''),
    `  live JS heap after full GC, largest: short ${heapMax(m.short)}, long ${heapMax(m.long)} (flat = no per-request data kept)`,
    m.reachedRequiredRequests
      ? `  the long run made ${int(m.long.requests)} requests (at least ${int(m.requiredRequests)} required)`
      : `  NOTE: the long run made only ${int(m.long.requests)} requests, fewer than the ${int(m.requiredRequests)} required (raise --memory-cap)`,
  ];
}

function heapRange(sizes) {
  if (!sizes || sizes.length === 0) return '-';
  return `${mibPrecise(Math.min(...sizes))}..${mibPrecise(Math.max(...sizes))} MiB (${sizes.length})`;
}
function heapMax(run) {
  const sizes = run.heapAfterFullGcBytes ?? [];
  return sizes.length > 0 ? `${mibPrecise(Math.max(...sizes))} MiB` : '-';
}
function mibPrecise(bytes) {
  return (bytes / 1048576).toFixed(1);
}

function latency(ms, resolutionMs) {
  if (ms === undefined) return '-';
  if (resolutionMs === undefined) return ms.toFixed(2);
  return ms < resolutionMs ? `<${resolutionMs}` : String(Math.round(ms));
}

function table(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => String(r[col]).length)));
  return rows.map((r) => `  ${r.map((cell, col) => (col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col]))).join('  ')}`);
}

function int(n) {
  return n === undefined ? '-' : Math.round(n).toLocaleString('en-US');
}
function fixed(n, digits) {
  return n === undefined ? '-' : n.toFixed(digits);
}
function pct(n) {
  return n === undefined ? '-' : `${(n * 100).toFixed(0)}%`;
}
function mib(bytes) {
  return bytes === undefined ? '-' : `${(bytes / 1048576).toFixed(0)} MiB`;
}
function times(n) {
  return n === undefined ? '-' : `${n.toFixed(2)}x`;
}
