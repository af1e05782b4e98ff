// Runs the profile fuzzer (test/config/profile-fuzz.test.ts) for longer than `npm test` does.
//   node scripts/fuzz-profiles.mjs [runs] [seed]      e.g. node scripts/fuzz-profiles.mjs 100000
// Each run loads one mutated or made-up profile; a failure prints the profile and the seed to replay.
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '100000';
const seed = process.argv[3] ?? process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
console.log(`profile fuzzer: ${runs} runs per property, seed ${seed}`);
const result = spawnSync('npx', ['vitest', 'run', 'test/config/profile-fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
