#!/usr/bin/env node
// The run-length experiments that `npm test` leaves out: real load on loopback repeated or held
// long enough to show a rate, an interval's coverage or a breaking point (docs/development.md,
// "Experiments run by hand"). Each takes from half a minute to several minutes and is best run on
// a quiet machine; the figures it prints are the ones the docs quote.
//
//   npm run validate                 every experiment, one at a time
//   npm run validate -- capacity     the files whose path contains "capacity"
//   npm run validate -- --list       what there is
//
// Extra settings are read by the experiments themselves (TAILGATE_SHAPE_EXPERIMENT=ROUNDS,
// RECOVERY_FIGURES=1); the docs name them beside each figure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function experiments(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return experiments(path);
    return entry.name.endsWith('.experiment.ts') ? [relative(root, path)] : [];
  });
}

const args = process.argv.slice(2);
const all = experiments(join(root, 'test')).sort();
if (args.includes('--list')) {
  for (const file of all) console.log(file);
  process.exit(0);
}
const unknown = args.filter((arg) => !arg.startsWith('-') && !all.some((file) => file.includes(arg)));
if (unknown.length > 0) {
  console.error(`validate: no experiment matches ${unknown.join(', ')}; there are:\n  ${all.join('\n  ')}`);
  process.exit(2);
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--project', 'experiments', '--reporter', 'verbose', ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TAILGATE_EXPERIMENTS: '1' },
});
process.exit(result.status ?? 1);
