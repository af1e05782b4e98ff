// Runs the record fuzzer (test/record/record-fuzz.test.ts) for longer than `npm test` does.
//   node scripts/fuzz-records.mjs [runs] [seed]      e.g. node scripts/fuzz-records.mjs 20000
// Each run reads one mutated run record and compares it; a failure prints the case and the seed to replay.
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '20000';
const seed = process.argv[3] ?? process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
console.log(`record fuzzer: ${runs} runs, seed ${seed}`);
const result = spawnSync('npx', ['vitest', 'run', 'test/record/record-fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
