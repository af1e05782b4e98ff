import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_HELP, BenchOptionError, parseBenchOptions } from './bench-options.mjs';
import { renderReport } from './bench-report.mjs';
import { serverTimingRatio, summarizeRuns } from './bench-summary.mjs';
import { GENERATORS, TAILGATE_CLI } from './generators.mjs';
import { detectHostTools, installPeers } from './host-tools.mjs';
import { cpuMethod, killStartedProcesses, runMeasured } from './measured-process.mjs';
import { runMemoryTest } from './memory-test.mjs';
import { systemBusyTicks } from './proc-stats.mjs';
import { startNginxTarget, startNodeTarget } from './targets.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = join(ROOT, '.bench', 'results.json');
const GENERATOR_CORE = 0;
/** Per run, beyond its duration: process start-up, tailgate's graceful stop, slack. */
const RUN_SLACK_S = 45;
const PAUSE_BETWEEN_RUNS_MS = 500;

const logger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
};

/** The bench: parse flags, start targets, run generators interleaved, print and save the results. */
export async function main(argv) {
  let options;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    if (error instanceof BenchOptionError) {
      logger.info(`bench: ${error.message}`);
      return 2;
    }
    if (typeof error?.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) {
      logger.info(`bench: ${error.message} (npm run bench -- --help)`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_HELP}\n`);
    return 0;
  }
  if (!existsSync(TAILGATE_CLI)) {
    logger.info(`bench: ${TAILGATE_CLI} is missing; run npm run build first`);
    return 2;
  }
  if (Number(process.versions.node.split('.')[0]) < 24) logger.warn(`node ${process.version}: tailgate needs node 24 (npm run bench uses node_modules/.bin/node)`);
  if (options.install) installPeers(logger);

  const tools = detectHostTools();
  const targetKinds = options.targets ?? ['node', 'node-st', ...(tools.nginx ? ['nginx'] : [])];
  if (targetKinds.includes('nginx') && !tools.nginx) {
    logger.info('bench: --targets asks for nginx, which is not installed (npm run bench -- --install, or --targets node)');
    return 2;
  }
  const generators = GENERATORS.filter((g) => (g.available?.(tools, options) ?? true) && (options.only?.includes(g.name) ?? true));
  const notes = [];
  if (!tools.wrk) notes.push('wrk is not installed: compared with autocannon only (npm run bench -- --install adds wrk and nginx)');
  if (!tools.nginx && !options.targets) notes.push('nginx is not installed: node target only');
  if (!tools.taskset) notes.push(tools.pinNote);
  if (!tools.timeout) notes.push('coreutils timeout is missing: runs are bounded by a kill from the bench only');

  const tmpDir = mkdtempSync(join(tmpdir(), 'tailgate-bench-'));
  // Run a snapshot of the bundle: a rebuild meanwhile (which empties dist/) cannot break a run.
  const cli = join(tmpDir, 'tailgate-cli.mjs');
  copyFileSync(TAILGATE_CLI, cli);
  const cliSha256 = createHash('sha256').update(readFileSync(cli)).digest('hex');
  const beforeCli = options.before === undefined ? undefined : join(tmpDir, 'tailgate-before-cli.mjs');
  if (beforeCli !== undefined) copyFileSync(options.before, beforeCli);
  const onSignal = (signal) => {
    killStartedProcesses();
    rmSync(tmpDir, { recursive: true, force: true });
    process.stderr.write(`bench: ${signal}, stopped\n`);
    process.exit(130);
  };
  process.on('exit', killStartedProcesses);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const runCount = options.reps * targetKinds.length * generators.length;
  const memoryS = options.skipMemory ? 0 : options.memoryCapS + 10 + 2 * 20;
  const plannedS = runCount * (options.durationS + 1) + memoryS;
  const lifetimeS = runCount * (options.durationS + RUN_SLACK_S) + memoryS + 120;
  logger.info(`bench: ${runCount} runs of ${options.durationS}s${options.skipMemory ? '' : ` + memory test (up to ${options.memoryCapS + 10}s)`}, about ${Math.ceil(plannedS / 60)} min at most`);
  for (const note of notes) logger.info(`note: ${note}`);

  const targets = [];
  try {
    for (const kind of targetKinds) {
      targets.push(kind === 'nginx' ? await startNginxTarget(tools, { lifetimeS, tmpDir }) : await startNodeTarget(tools, { lifetimeS, serverTiming: kind === 'node-st' }));
    }
    const runs = [];
    for (let rep = 0; rep < options.reps; rep++) {
      // Rotate the order each repetition, so a drift (heat, caches, the target's GC) hits all.
      const order = generators.map((_, i) => generators[(i + rep) % generators.length]);
      for (const target of targets) {
        for (const generator of order) {
          runs.push(await runGenerator(tools, generator, target, rep, options, tmpDir, cli, beforeCli));
          await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_RUNS_MS));
        }
      }
    }
    const summary = summarizeRuns(runs, targetKinds, generators.map((g) => g.name));
    const serverTimingOverhead = serverTimingRatio(runs);

    let memory;
    let memorySkipped = options.skipMemory ? '--skip-memory' : undefined;
    if (!options.skipMemory) {
      const best = targets
        .map((t) => ({ target: t, rps: summary[t.kind].generators.tailgate?.rps }))
        .filter((c) => c.rps !== undefined)
        .sort((a, b) => b.rps - a.rps)[0];
      if (best) {
        memory = await runMemoryTest(tools, {
          target: best.target,
          connections: options.connections,
          tailgateRps: best.rps,
          aimedRequests: options.memoryRequests,
          capS: options.memoryCapS,
          tmpDir,
          cli,
          logger,
        });
      } else memorySkipped = 'no tailgate run succeeded';
    }

    const results = {
      schema: 'tailgate.bench/v1',
      startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
      machine: machineFacts(tools),
      settings: { durationS: options.durationS, reps: options.reps, connections: options.connections, pipelining: 1 },
      method: {
        pinning: tools.pinNote,
        cpu: `${cpuMethod(tools)}; µs per request = that CPU (start-up included) / requests made. Target CPU from /proc/<pid>/stat of its process tree, before and after each run`,
        generators: Object.fromEntries(generators.map((g) => [g.name, g.describe(options)])),
        rps: 'tailgate: summary.overall.rps (requests / measured period); autocannon: requests.total / duration; undici-floor: requests / its duration; wrk: Requests/sec',
      },
      tailgateCli: { copiedFrom: 'dist/cli.js', sha256: cliSha256 },
      ...(beforeCli === undefined ? {} : { beforeCli: { copiedFrom: options.before, sha256: createHash('sha256').update(readFileSync(beforeCli)).digest('hex') } }),
      targets: Object.fromEntries(targets.map((t) => [t.kind, t.label])),
      notes,
      summary,
      ...(serverTimingOverhead ? { serverTimingOverhead } : {}),
      memory,
      ...(memorySkipped ? { memorySkipped } : {}),
      runs,
    };
    process.stdout.write(`${renderReport(results)}\n`);
    for (const note of notes) process.stdout.write(`note: ${note}\n`);
    mkdirSync(join(ROOT, '.bench'), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`results: ${RESULTS_FILE}\n`);
    return runs.some((r) => !r.ok) ? 1 : 0;
  } finally {
    for (const target of targets) await target.stop();
    killStartedProcesses();
    rmSync(tmpDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runGenerator(tools, generator, target, rep, options, tmpDir, cli, beforeCli) {
  const context = { url: target.url, connections: options.connections, durationS: options.durationS, tmpDir, tools, cli, beforeCli };
  const spec = generator.command(context);
  const targetTicks = target.cpuTicks();
  const busyTicks = systemBusyTicks();
  const result = await runMeasured(tools, { ...spec, core: GENERATOR_CORE, limitS: options.durationS + RUN_SLACK_S, tmpDir });
  const targetCpuS = (target.cpuTicks() - targetTicks) / tools.clkTck;
  // Whatever else kept the cores busy meanwhile (other processes, the bench itself): noise.
  const busyS = busyTicks === undefined ? undefined : (systemBusyTicks() - busyTicks) / tools.clkTck;
  const othersCpuS = busyS === undefined || result.cpuS === undefined ? undefined : Math.max(0, busyS - result.cpuS - targetCpuS);
  const base = {
    target: target.kind,
    generator: generator.name,
    rep: rep + 1,
    cpuS: result.cpuS,
    userS: result.userS,
    sysS: result.sysS,
    wallS: result.wallS,
    maxRssBytes: result.maxRssBytes,
    targetCpuS,
    othersCpuS,
  };
  let run;
  try {
    if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode ?? result.signal}: ${result.stderr.trim().slice(-400)}`);
    run = { ...base, ok: true, ...generator.parse(result, spec) };
  } catch (error) {
    run = { ...base, ok: false, failure: error.message };
  }
  const line = run.ok
    ? `${Math.round(run.rps).toLocaleString('en-US')} rps, ${((run.cpuS * 1e6) / run.requests).toFixed(2)} µs CPU/req, target core ${((targetCpuS / result.wallS) * 100).toFixed(0)}%, others ${othersCpuS === undefined ? '?' : (othersCpuS / result.wallS).toFixed(2)} cores`
    : `FAILED: ${run.failure}`;
  logger.info(`[rep ${rep + 1}/${options.reps}] ${target.kind.padEnd(5)} ${generator.name.padEnd(10)} ${line}`);
  return run;
}

function machineFacts(tools) {
  const version = (command, args) => {
    const out = spawnSync(command, args, { encoding: 'utf8' });
    return `${out.stdout ?? ''}${out.stderr ?? ''}`.trim().split('\n')[0] || undefined;
  };
  const autocannonVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version;
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    kernel: release(),
    node: process.version,
    autocannon: autocannonVersion,
    ...(tools.wrk ? { wrk: version(tools.wrk, ['--version']) } : {}),
    ...(tools.nginx ? { nginx: version(tools.nginx, ['-v']) } : {}),
    commit: version('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
  };
}
