#!/usr/bin/env node
// The runner fingerprint's CPU probe on a busy machine and on an imitated slower CPU (docs/gate.md,
// "A busy machine is not a slower CPU"): does work per CPU-microsecond stay put when other work
// takes the cores, and does the share of a core fall? Each probe is a fresh Node process taking
// the fingerprint as `tailgate run` does before its load; the conditions, one after another:
// alone, beside one and two nice-19 busy loops, beside two busy loops at normal priority, pinned
// (taskset) to a core a busy loop shares, in a cgroup capped at a quarter of a core (where the
// cgroup file system is writable), and the same work made to cost more CPU time (V8 compiling it
// less well, a stand-in for a slower CPU) alone and beside two busy loops. Each probe is
// then judged by the comparison's own rule (src/compare/runner-speed.ts) against the probes taken
// alone, by CPU time and, as records older than it are, by the wall clock. No network traffic.
// Some two minutes on an idle 2-core machine, six on a loaded one; run with Node 24 (it loads the
// TypeScript sources):
//
//   npx node scripts/probe-busy-experiment.mjs             15 probes a condition
//   npx node scripts/probe-busy-experiment.mjs 20 --json probes.json
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The sources import each other as `./x.js`; Node strips the types of `./x.ts`.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runnerSpeedOf } = await import(pathToFileURL(join(root, 'src/compare/runner-speed.ts')).href);
const { clopperPearson } = await import(pathToFileURL(join(root, 'src/stats/binomial-interval.ts')).href);

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const probes = Number(args.find((a, i) => /^\d+$/.test(a) && (jsonAt < 0 || i !== jsonAt + 1)) ?? 15);
if (!Number.isInteger(probes) || probes < 3 || (jsonAt >= 0 && !jsonFile)) {
  console.error('usage: npx node scripts/probe-busy-experiment.mjs [PROBES=15] [--json FILE]');
  process.exit(2);
}
const GAP_MS = 200;
const QUOTA_SHARE = 0.25;
const moduleUrl = pathToFileURL(join(root, 'src/run/runner-fingerprint.ts')).href;
const probeCode = `import(${JSON.stringify(moduleUrl)}).then((m) => process.stdout.write(JSON.stringify(m.takeRunnerFingerprint())))`;

/** A busy loop (`nice -n 19` unless told otherwise, on `cpu` when given); killed by its pid after its condition. */
function busyLoop({ nice = 19, cpu } = {}) {
  const command = [...(cpu === undefined ? [] : ['taskset', '-c', String(cpu)]), 'nice', '-n', String(nice), process.execPath, '-e', 'for(;;){}'];
  const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
  child.on('error', (error) => console.error(`could not start a busy loop: ${error.message}`));
  return child;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** A cgroup capped at QUOTA_SHARE of a core (v2 cpu.max or v1 cfs quota), or why there is none. */
function quotaGroup() {
  const name = `tailgate-probe-${process.pid}`;
  const attempts = [
    { dir: join('/sys/fs/cgroup', name), files: [['cpu.max', `${Math.round(10_000 * QUOTA_SHARE)} 10000`]], ok: () => readText('/sys/fs/cgroup/cgroup.controllers')?.split(/\s+/).includes('cpu') },
    { dir: join('/sys/fs/cgroup/cpu', name), files: [['cpu.cfs_period_us', '10000'], ['cpu.cfs_quota_us', String(Math.round(10_000 * QUOTA_SHARE))]], ok: () => existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') },
  ];
  const problems = [];
  for (const attempt of attempts) {
    if (!attempt.ok()) continue;
    try {
      mkdirSync(attempt.dir);
      for (const [file, value] of attempt.files) writeFileSync(join(attempt.dir, file), value);
      return { procs: join(attempt.dir, 'cgroup.procs'), remove: () => rmdirSync(attempt.dir) };
    } catch (error) {
      problems.push(`${attempt.dir}: ${error.code ?? error.message}`);
      try {
        rmdirSync(attempt.dir);
      } catch {
        // It was not made.
      }
    }
  }
  return { problem: problems.length > 0 ? problems.join('; ') : 'no writable cgroup cpu controller' };
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function takeProbe({ prefix = [], nodeFlags = [] }) {
  const command = [...prefix, process.execPath, ...nodeFlags, '--no-warnings', '--input-type=module', '-e', probeCode];
  const out = spawnSync(command[0], command.slice(1), { encoding: 'utf8', timeout: 30_000 });
  if (out.status !== 0) throw new Error(`a probe failed: ${out.stderr || out.error?.message}`);
  return JSON.parse(out.stdout);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCondition(condition) {
  const setup = condition.setup?.();
  if (setup?.problem) return { name: condition.name, problem: setup.problem };
  const loops = (condition.loops ?? []).map(busyLoop);
  try {
    if (loops.length > 0) await sleep(500);
    const fingerprints = [];
    for (let i = 0; i < probes; i++) {
      fingerprints.push(takeProbe({ ...condition, prefix: [...(condition.prefix ?? []), ...(setup?.prefix ?? [])] }));
      await sleep(GAP_MS);
    }
    return { name: condition.name, fingerprints };
  } finally {
    for (const loop of loops) loop.kill('SIGKILL');
    setup?.cleanup?.();
  }
}

/**
 * A slower CPU, imitated: V8 made to compile the probe less well, so that the same work costs more
 * CPU time, as on a slower CPU. Maglev at most: some 7% more; Maglev without untagged phis: some 45% more.
 */
const A_LITTLE_SLOWER = ['--max-opt=2'];
const SLOWER_CPU = ['--max-opt=2', '--no-maglev-untagged-phis'];
const conditions = [
  { name: 'alone' },
  { name: 'beside one nice-19 busy loop', loops: [{}] },
  { name: 'beside two nice-19 busy loops', loops: [{}, {}] },
  { name: 'beside two busy loops at normal priority', loops: [{ nice: 0 }, { nice: 0 }] },
  hasCommand('taskset')
    ? { name: 'pinned to CPU 0 (taskset) beside a normal-priority busy loop on it', prefix: ['taskset', '-c', '0'], loops: [{ nice: 0, cpu: 0 }] }
    : { name: 'pinned to a busy core (taskset)', setup: () => ({ problem: 'taskset is not installed' }) },
  {
    name: `in a cgroup capped at ${QUOTA_SHARE * 100}% of a core`,
    setup: () => {
      const group = quotaGroup();
      if (group.problem) return group;
      return { prefix: ['sh', '-c', `echo $$ > ${group.procs} && exec "$@"`, 'sh'], cleanup: group.remove };
    },
  },
  { name: `a little slower CPU imitated (node ${A_LITTLE_SLOWER.join(' ')})`, nodeFlags: A_LITTLE_SLOWER },
  { name: `slower CPU imitated (node ${SLOWER_CPU.join(' ')})`, nodeFlags: SLOWER_CPU },
  { name: 'slower CPU imitated, beside two busy loops at normal priority', nodeFlags: SLOWER_CPU, loops: [{ nice: 0 }, { nice: 0 }] },
];

const results = [];
for (const condition of conditions) {
  process.stderr.write(`${condition.name}...\n`);
  results.push(await runCondition(condition));
}

const run = (fingerprint) => ({ meta: { runnerFingerprint: fingerprint } });
/** The same probe as a record older than the CPU-time probe has it: the wall clock only. */
const wallOnly = (fingerprint) => ({ ...fingerprint, probe: { opsPerMicrosecond: fingerprint.probe.opsPerMicrosecond, repeats: fingerprint.probe.repeats } });
const alone = results[0].fingerprints;

function quartiles(values) {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return 'n/a';
  const at = (q) => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
  };
  return `${at(0.5).toFixed(0)} (${at(0.25).toFixed(0)}-${at(0.75).toFixed(0)})`;
}

function share(count, total) {
  const { low, high } = clopperPearson(count, total);
  return `${count}/${total} (${(100 * low).toFixed(0)}-${(100 * high).toFixed(0)}%)`;
}

const lines = [
  `${probes} probes a condition, ${GAP_MS} ms apart, each a fresh process; machine: ${alone[0]?.cpuModel}, ${alone[0]?.logicalCores} cores`,
  'condition | ops per CPU-µs: median (quartiles) | share of a core %: median (quartiles) | ops per wall µs | load average | flagged slower by CPU time (95% CI) | busy (95% CI) | flagged slower by the wall clock (95% CI)',
];
const summary = [];
for (const [index, result] of results.entries()) {
  if (result.problem) {
    lines.push(`${result.name} | could not be imitated: ${result.problem}`);
    summary.push({ condition: result.name, problem: result.problem });
    continue;
  }
  const fps = result.fingerprints;
  let slower = 0;
  let busy = 0;
  let wallSlower = 0;
  for (const [i, fingerprint] of fps.entries()) {
    // Against the probes taken alone (the others, when this is one of them): the baseline runs.
    const history = alone.filter((_, j) => index !== 0 || j !== i).map(run);
    const speed = runnerSpeedOf(run(fingerprint), history);
    if (speed?.slower) slower++;
    if (speed?.busy) busy++;
    if (runnerSpeedOf(run(wallOnly(fingerprint)), history.map((r) => run(wallOnly(r.meta.runnerFingerprint))))?.slower) wallSlower++;
  }
  const cpu = fps.map((f) => f.probe?.opsPerCpuMicrosecond);
  const shares = fps.map((f) => f.probe?.cpuSharePct);
  const wall = fps.map((f) => f.probe?.opsPerMicrosecond);
  const loads = fps.map((f) => f.load?.loadAverage1m);
  lines.push(`${result.name} | ${quartiles(cpu)} | ${quartiles(shares)} | ${quartiles(wall)} | ${quartiles(loads)} | ${share(slower, fps.length)} | ${share(busy, fps.length)} | ${share(wallSlower, fps.length)}`);
  summary.push({ condition: result.name, slower, busy, wallSlower, probes: fps.length, fingerprints: fps });
}
console.log(lines.join('\n'));
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
