import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The load generators compared, each as: is it here, the command that runs it for `durationS`
 * seconds with `connections` connections and no pipelining, and how to read its requests, rate
 * and errors from what it wrote. All of them run the same way (pinned, timed) in bench-main.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TAILGATE_CLI = join(ROOT, 'dist', 'cli.js');
const AUTOCANNON_CLI = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
const UNDICI_FLOOR = join(ROOT, 'bench', 'undici-floor.mjs');

let sequence = 0;

export const tailgate = {
  name: 'tailgate',
  describe: (c) => `node dist/cli.js run (constant-vus, ${c.connections} VUs, one GET step, no think time) --quiet`,
  /** `cli`: the copy of dist/cli.js taken when the bench started. */
  command({ url, connections, durationS, tmpDir, cli = TAILGATE_CLI }) {
    const id = ++sequence;
    const config = join(tmpDir, `tailgate-${id}.yml`);
    const out = join(tmpDir, `tailgate-${id}.json`);
    writeFileSync(config, tailgateProfile(url, connections, durationS));
    return { command: process.execPath, args: [cli, 'run', '--config', config, '--out', out, '--quiet'], out };
  },
  parse(result, { out }) {
    const record = JSON.parse(readFileSync(out, 'utf8'));
    const overall = record.summary.overall;
    return {
      requests: overall.requests,
      rps: overall.rps,
      errors: overall.errors,
      measuredS: record.meta.measuredMs / 1000,
      self: {
        cpuCores: record.generator.cpuCores,
        maxRssBytes: record.generator.maxRssBytes,
        valid: record.generator.valid,
        reasons: record.generator.reasons,
        eventLoopDelayP99Ms: record.generator.eventLoopDelayP99Ms,
      },
      latencyMs: { p50: overall.p50, p99: overall.p99 },
    };
  },
};

/**
 * An earlier build of tailgate (npm run bench -- --before path/to/dist/cli.js), run exactly as
 * tailgate is: tailgate/tailgate-before is the engine's speed against that build, in the same run.
 */
export const tailgateBefore = {
  ...tailgate,
  name: 'tailgate-before',
  describe: (c) => `the same profile with --before ${c.before}`,
  available: (_tools, options) => options.before !== undefined,
  command: (context) => tailgate.command({ ...context, cli: context.beforeCli }),
};

/** A profile equivalent to `autocannon -c N -d D`: N VUs back to back, one GET, nothing else. */
export function tailgateProfile(url, vus, durationS) {
  return `# written by bench/generators.mjs
name: bench
target: ${url.replace(/\/$/, '')}
defaults:
  timeout: 10s
scenarios:
  load:
    executor: constant-vus
    vus: ${vus}
    duration: ${durationS}s
    gracefulStop: 5s
journeys:
  hit:
    steps:
      - request: GET /
`;
}

export const autocannon = {
  name: 'autocannon',
  describe: (c) => `autocannon -c ${c.connections} -d ${c.durationS} -p 1 -n --json (devDependency, same node)`,
  command({ url, connections, durationS }) {
    return {
      command: process.execPath,
      args: [AUTOCANNON_CLI, '-c', String(connections), '-d', String(durationS), '-p', '1', '-n', '--json', url],
    };
  },
  parse(result) {
    const line = result.stdout.trim().split('\n').findLast((l) => l.startsWith('{'));
    if (!line) throw new Error('autocannon printed no JSON');
    const json = JSON.parse(line);
    const requests = json.requests.total;
    return {
      requests,
      // Requests over its own measured duration, as tailgate's requests / measuredMs.
      rps: requests / json.duration,
      errors: json.errors + json.timeouts + json.non2xx,
      measuredS: json.duration,
      latencyMs: { p50: json.latency.p50, p99: json.latency.p99 },
      // autocannon's latency histogram counts whole milliseconds: 0 means under 1 ms.
      latencyResolutionMs: 1,
    };
  },
};

/** undici with nothing else on top: the rate any engine built on it could reach at most. */
export const undiciFloor = {
  name: 'undici-floor',
  describe: (c) => `node bench/undici-floor.mjs (bare undici, ${c.connections} connections, next request sent from the response callback, no recording)`,
  command({ url, connections, durationS }) {
    return { command: process.execPath, args: [UNDICI_FLOOR, url, String(connections), String(durationS)] };
  },
  parse(result) {
    const line = result.stdout.trim().split('\n').findLast((l) => l.startsWith('{'));
    if (!line) throw new Error('undici-floor printed no JSON');
    const json = JSON.parse(line);
    return { requests: json.requests, rps: json.requests / json.durationS, errors: json.errors, measuredS: json.durationS, latencyMs: {} };
  },
};

export const wrk = {
  name: 'wrk',
  describe: (c) => `wrk -t1 -c${c.connections} -d${c.durationS}s --latency`,
  available: (tools) => tools.wrk !== undefined,
  command({ url, connections, durationS, tools }) {
    return { command: tools.wrk, args: ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', url] };
  },
  parse(result) {
    const text = result.stdout;
    const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(text);
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
    if (!total || !rps) throw new Error(`cannot read wrk's output: ${text.slice(0, 200)}`);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
    const errors = (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
    const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3]];
    return {
      requests: Number(total[1]),
      rps: Number(rps[1]),
      errors,
      measuredS: Number(total[2]) * unit,
      latencyMs: { p50: wrkLatencyMs(text, '50%'), p99: wrkLatencyMs(text, '99%') },
    };
  },
};

function wrkLatencyMs(text, percentile) {
  const m = new RegExp(`^\\s+${percentile}\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
  return m ? Number(m[1]) * { us: 1e-3, ms: 1, s: 1000 }[m[2]] : undefined;
}

export const GENERATORS = [tailgate, tailgateBefore, autocannon, undiciFloor, wrk];
