// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) with ncc.
// Each entry is built into its own folder; dist/ is replaced only once both have built, so a
// failed build leaves the last good bundles in place.
//
// `--if-changed` (what `npm test` runs first) builds only when the sources, the lockfile, the
// build script or dist/ itself changed since the last build on this machine (their fingerprint
// is kept in node_modules/.cache), so CI, which has just built, does not build again.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, mkdirSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const FINGERPRINT = 'node_modules/.cache/tailgate-build/fingerprint';

/** A hash of the files given, by path and content. */
function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : 'missing');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** What the bundles are made from: src/, schema/, the package files, the TypeScript settings, this script. */
function sourcesHash() {
  const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('src');
  walk('schema');
  return hashFiles(files);
}

const distHash = () => hashFiles(['dist/index.js', 'dist/cli.js']);
const sources = sourcesHash();

if (process.argv.includes('--if-changed') && existsSync(FINGERPRINT) && readFileSync(FINGERPRINT, 'utf8') === `${sources} ${distHash()}`) {
  console.log('dist/ is up to date with src/: not rebuilt');
  process.exit(0);
}

const entries = [
  { src: 'src/index.ts', out: 'index.js', shebang: false },
  { src: 'src/cli.ts', out: 'cli.js', shebang: true },
];

const built = [];
for (const entry of entries) {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-build-'));
  execFileSync('ncc', ['build', entry.src, '-o', dir, '--target', 'es2023', '--quiet', '--no-source-map-register'], { stdio: 'inherit' });
  const files = readdirSync(dir);
  const extra = files.filter((f) => f !== 'index.js' && f !== 'package.json');
  if (extra.length > 0) throw new Error(`${entry.src}: the bundle emitted assets (${extra.join(', ')}); dist/ holds single files only`);
  const file = join(dir, 'index.js');
  if (entry.shebang) {
    writeFileSync(file, `#!/usr/bin/env node\n${readFileSync(file, 'utf8')}`);
    chmodSync(file, 0o755);
  }
  built.push({ dir, file, out: entry.out });
}
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
for (const { dir, file, out } of built) {
  // A rename across file systems (tmp on its own) fails: copy, then remove.
  writeFileSync(join('dist', out), readFileSync(file));
  chmodSync(join('dist', out), statSync(file).mode);
  rmSync(dir, { recursive: true, force: true });
}
mkdirSync(join(FINGERPRINT, '..'), { recursive: true });
// The sources as they were when the build began: an edit made during the build builds again.
writeFileSync(FINGERPRINT, `${sources} ${distHash()}`);
