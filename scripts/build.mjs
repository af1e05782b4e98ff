// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) with ncc.
// Each entry is built into its own folder, then its single file is moved into dist/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const entries = [
  { src: 'src/index.ts', out: 'index.js', shebang: false },
  { src: 'src/cli.ts', out: 'cli.js', shebang: true },
];

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
for (const entry of entries) {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-build-'));
  execFileSync('ncc', ['build', entry.src, '-o', dir, '--target', 'es2023', '--quiet', '--no-source-map-register'], { stdio: 'inherit' });
  const files = readdirSync(dir);
  const extra = files.filter((f) => f !== 'index.js' && f !== 'package.json');
  if (extra.length > 0) throw new Error(`${entry.src}: the bundle emitted assets (${extra.join(', ')}); dist/ holds single files only`);
  const target = join('dist', entry.out);
  renameSync(join(dir, 'index.js'), target);
  if (entry.shebang) {
    const code = readFileSync(target, 'utf8');
    writeFileSync(target, `#!/usr/bin/env node\n${code}`);
    chmodSync(target, 0o755);
  }
  rmSync(dir, { recursive: true, force: true });
}
