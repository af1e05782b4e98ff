import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leafProcess, residentBytes } from './proc-stats.mjs';

/** Process groups the bench started and has not seen exit; killed by id when the bench stops. */
const started = new Set();

export function killStartedProcesses() {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  started.clear();
}

/** How each child's CPU time is measured, in words for the report. */
export function cpuMethod(tools) {
  return tools.gnuTime
    ? "child's user+system CPU from GNU time (/usr/bin/time -f '%e %U %S %M', wait4 rusage of the whole child)"
    : "child's user+system CPU from bash's `times` after the child exited (rusage of waited-for children)";
}

let sequence = 0;

/**
 * Runs one command to its end: pinned to `core` (taskset), its CPU and peak RSS measured from its
 * rusage (GNU time, else bash `times`), bounded by `limitS` seconds (coreutils timeout, plus a
 * kill of its process group from here), optionally its RSS sampled from /proc while it runs.
 */
export function spawnStarted(tools, { command, args, core, limitS, env }) {
  let argv = [command, ...args];
  if (core !== undefined && tools.taskset) argv = [tools.taskset, '-c', String(core), ...argv];
  if (tools.timeout) argv = [tools.timeout, '-k', '5', String(limitS), ...argv];
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  started.add(child.pid);
  child.once('exit', () => started.delete(child.pid));
  const killer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, (limitS + 10) * 1000);
  killer.unref();
  child.once('exit', () => clearTimeout(killer));
  return child;
}

export async function runMeasured(tools, { command, args, core, limitS, tmpDir, sampleRssEveryMs }) {
  const timesFile = join(tmpDir, `times-${++sequence}.txt`);
  const timed = tools.gnuTime
    ? [tools.gnuTime, '-o', timesFile, '-f', '%e %U %S %M', command, ...args]
    : ['bash', '-c', '"$@"; s=$?; times > "$BENCH_TIMES_FILE"; exit $s', 'bench-timer', command, ...args];
  const startNs = process.hrtime.bigint();
  const child = spawnStarted(tools, {
    command: timed[0],
    args: timed.slice(1),
    core,
    limitS,
    env: { ...process.env, BENCH_TIMES_FILE: timesFile },
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const rssSamples = [];
  let sampler;
  if (sampleRssEveryMs) {
    sampler = setInterval(() => {
      const rss = residentBytes(leafProcess(child.pid));
      if (rss) rssSamples.push({ atMs: Number(process.hrtime.bigint() - startNs) / 1e6, ...rss });
    }, sampleRssEveryMs);
  }
  const { code, signal } = await new Promise((resolve) => child.once('close', (c, s) => resolve({ code: c, signal: s })));
  clearInterval(sampler);
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
  return { exitCode: code, signal, wallS, stdout: stdout(), stderr: stderr(), rssSamples, ...readTimes(tools, timesFile) };
}

/** Keeps a stream's text, at most the last `maxChars`. */
function collect(stream, maxChars = 4_000_000) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    text += chunk;
    if (text.length > maxChars) text = text.slice(-maxChars);
  });
  return () => text;
}

function readTimes(tools, file) {
  let text;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return { cpuS: undefined, maxRssBytes: undefined };
  }
  if (tools.gnuTime) {
    // GNU time writes a "Command exited with non-zero status" line first when it did.
    const [, userS, sysS, maxRssKb] = text.split('\n').at(-1).trim().split(/\s+/).map(Number);
    return { cpuS: userS + sysS, userS, sysS, maxRssBytes: maxRssKb * 1024 };
  }
  // bash `times`: the shell's own line, then its children's "0m1.870s 0m1.130s".
  const seconds = (t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  };
  const [userS, sysS] = (text.split('\n')[1] ?? '').trim().split(/\s+/).map(seconds);
  return { cpuS: userS + sysS, userS, sysS, maxRssBytes: undefined };
}
