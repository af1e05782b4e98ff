// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) with ncc.
// Each entry is built into its own folder; dist/ is replaced only once both have built, so a
// failed build leaves the last good bundles in place.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, mkdirSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

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
