#!/usr/bin/env node
// The whole suite, three times in a row, while two low-priority busy loops occupy the cores: a
// shared CI runner's load, on purpose. Tests must decide their own verdicts (injected generator
// readings) and bound times generously, so none of the runs may fail.
//
//   npm run test:busy            three runs, two busy loops
//   npm run test:busy -- 5 4     five runs, four busy loops
import { spawn } from 'node:child_process';

const runs = Number(process.argv[2] ?? 3);
const loops = Number(process.argv[3] ?? 2);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(loops) || loops < 0) {
  console.error('usage: node scripts/test-busy.mjs [RUNS=3] [BUSY_LOOPS=2]');
  process.exit(2);
}

/** A busy loop at the lowest priority (nice 19), so it takes only what the tests leave. */
function busyLoop() {
  const child = spawn('nice', ['-n', '19', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' });
  child.on('error', (error) => console.error(`test:busy: could not start a busy loop: ${error.message}`));
  return child;
}

const busy = Array.from({ length: loops }, busyLoop);
let current;
let stopped = false;

function stopAll() {
  if (stopped) return;
  stopped = true;
  for (const child of busy) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    current?.kill(signal);
    stopAll();
    process.exit(130);
  });
}

function vitest() {
  return new Promise((resolve) => {
    current = spawn('npx', ['vitest', 'run'], { stdio: 'inherit' });
    current.on('error', (error) => {
      console.error(`test:busy: could not start vitest: ${error.message}`);
      resolve(1);
    });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results = [];
try {
  for (let i = 1; i <= runs; i++) {
    console.log(`\ntest:busy: run ${i} of ${runs}, ${loops} busy loop(s) at nice 19`);
    results.push(await vitest());
  }
} finally {
  stopAll();
}
const failed = results.filter((code) => code !== 0).length;
console.log(`\ntest:busy: ${runs - failed} of ${runs} runs passed${failed > 0 ? `; failed: run ${results.flatMap((c, i) => (c !== 0 ? [i + 1] : [])).join(', ')}` : ''}`);
process.exit(failed > 0 ? 1 : 0);
