// How long `tailgate compare` takes on a large stored baseline: 10 baseline runs of 60 s, 3 steps,
// 1 s blocks, 300 requests/s, written as real run records. Times the whole command as a user runs
// it (process start, reading and checking every record, the comparison, the report), beside
// `tailgate --version` (the process start alone) in the same run. Prints medians; asserts nothing.
//
//   npm run build && npm run bench:compare [-- --reps 7]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
const reps = Number(values.reps);
const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const STEPS = [
  { name: 'list', medianMs: 40, rate: 100 },
  { name: 'detail', medianMs: 30, rate: 100 },
  { name: 'checkout', medianMs: 90, rate: 100 },
];
const SECONDS = 60;

let seed = 7;
const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

const histogram = () => hdr.build({ bitBucketSize: 'packed', lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
const encode = (h) => hdr.encodeIntoCompressedBase64(h);

function record(index) {
  const started = Date.UTC(2026, 0, 1) + index * 3_600_000;
  const stepRecords = {};
  const overallBlocks = Array.from({ length: SECONDS }, () => ({ h: histogram(), requests: 0 }));
  const overallWhole = histogram();
  for (const step of STEPS) {
    const whole = histogram();
    const blocks = [];
    for (let s = 0; s < SECONDS; s++) {
      const block = histogram();
      const shift = 0.05 * normal();
      for (let i = 0; i < step.rate; i++) {
        const us = Math.round(step.medianMs * 1000 * Math.exp(shift + 0.5 * normal()));
        block.recordValue(us);
        whole.recordValue(us);
        overallBlocks[s].h.recordValue(us);
        overallWhole.recordValue(us);
      }
      overallBlocks[s].requests += step.rate;
      blocks.push({ histogram: encode(block), requests: step.rate, errors: 0 });
    }
    stepRecords[step.name] = { histogram: encode(whole), requests: step.rate * SECONDS, errors: 0, statuses: { 200: step.rate * SECONDS }, errorKinds: {}, blocks };
  }
  const total = STEPS.reduce((sum, s) => sum + s.rate, 0) * SECONDS;
  return {
    schema: 'tailgate.run/v1',
    meta: {
      profile: { id: 'bench', hash: '0123456789abcdef0123456789abcdef' },
      target: 'http://127.0.0.1:3000',
      runId: `bench-${index}`,
      tool: { name: 'tailgate', version: 'bench' },
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(started + SECONDS * 1000).toISOString(),
      warmupMs: 0,
      measuredMs: SECONDS * 1000,
      blockMs: 1000,
      interrupted: false,
    },
    scenarios: { load: { executor: 'constant-vus', model: 'closed', latencyFrom: 'actual-start', iterations: total, maxVUs: 30 } },
    generator: { valid: true, reasons: [], eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, lateStarts: 0, lateThresholdMs: 10, cpuCores: 0.3, maxRssBytes: 80_000_000 },
    blocks: Array.from({ length: SECONDS }, (_, s) => ({ startMs: s * 1000, endMs: (s + 1) * 1000 })),
    overall: { histogram: encode(overallWhole), requests: total, errors: 0, statuses: { 200: total }, errorKinds: {}, blocks: overallBlocks.map((b) => ({ histogram: encode(b.h), requests: b.requests, errors: 0 })) },
    steps: stepRecords,
    summary: { overall: {}, steps: {} },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tailgate-compare-speed-'));
try {
  const files = Array.from({ length: 11 }, (_, i) => {
    const file = join(dir, `run-${i}.json`);
    writeFileSync(file, JSON.stringify(record(i)));
    return file;
  });
  const time = (args) => {
    const started = process.hrtime.bigint();
    try {
      execFileSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    } catch (error) {
      // compare exits 1 on a regression and 0 on a pass; anything else is a failure of the bench.
      if (error.status !== 1) throw error;
    }
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const compareArgs = ['compare', '--baseline', ...files.slice(0, 10), '--current', files[10], '--json', join(dir, 'comparison.json')];
  const startup = [];
  const compare = [];
  for (let r = 0; r < reps; r++) {
    startup.push(time(['--version']));
    compare.push(time(compareArgs));
  }
  console.log(`tailgate compare: 10 baseline runs of ${SECONDS} s, ${STEPS.length} steps, 1 s blocks, ${STEPS.reduce((s, x) => s + x.rate, 0)} requests/s (${reps} reps)`);
  console.log(`  whole command   median ${median(compare).toFixed(0)} ms (range ${Math.min(...compare).toFixed(0)}-${Math.max(...compare).toFixed(0)})`);
  console.log(`  process start   median ${median(startup).toFixed(0)} ms (tailgate --version)`);
  console.log(`  compare itself  about ${(median(compare) - median(startup)).toFixed(0)} ms (reading, checking and comparing 11 records)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
