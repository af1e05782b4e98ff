import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

/**
 * The package as a user gets it: `npm pack` of this tree (it packs the built dist/cli.js, so the
 * build must have run: `npm test` builds first), installed from the tarball into an empty
 * folder with npm, offline: the CLI is one bundle, so the package has no dependencies and an
 * install fetches nothing. Then the installed `tailgate` is run.
 */

const root = join(import.meta.dirname, '../..');

// Node 24 first on PATH, as for a user who has it: the installed bin runs on `node` from PATH.
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
for (const key of Object.keys(env)) {
  // What `npm test` exports about this package and run must not steer the user's npm.
  if (/^npm_(package|lifecycle)_/.test(key) || /^npm_config_(global|prefix|location|dry_run)$/.test(key)) delete env[key];
}

function npm(args: string[], cwd: string, timeoutMs: number): string {
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the npm package', () => {
  it('packs the CLI bundle, schemas, examples and docs, but no source or tests', () => {
    const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json', '--loglevel=error'], root, 60_000)) as Array<{ files: Array<{ path: string }> }>;
    const files = (packed?.files ?? []).map((f) => f.path);
    for (const needed of ['package.json', 'dist/cli.js', 'schema/tailgate.schema.json', 'schema/tailgate.run.schema.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'examples/localhost-server.yml']) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((f) => /^(src|test|bench|scripts|\.github|\.ci|node_modules)\//.test(f))).toEqual([]);
    expect(files).not.toContain('dist/index.js'); // the Action runs from the repository's tag, not from npm
    expect(pkg).not.toHaveProperty('private');
    expect(pkg.bin).toEqual({ tailgate: 'dist/cli.js' });
    // Everything the CLI runs is bundled into dist/cli.js: what it was built from is a devDependency.
    expect(pkg).not.toHaveProperty('dependencies');
  });

  it('installs from its tarball into an empty folder, offline and alone, and the installed tailgate answers --version and runs a short demo', { timeout: 180_000 }, () => {
    expect(existsSync(join(root, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build first (npm test does)').toBe(true);

    const work = mkdtempSync(join(tmpdir(), 'tailgate-pack-'));
    const [packed] = JSON.parse(npm(['pack', '--json', '--loglevel=error', '--pack-destination', work], root, 60_000)) as Array<{ filename: string }>;
    const tarball = join(work, packed?.filename ?? '');
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "empty", "private": true }\n');
    npm(['install', '--no-save', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tarball], app, 150_000);
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['tailgate']);

    const bin = join(app, 'node_modules/.bin/tailgate');
    const version = spawnSync(bin, ['--version'], { cwd: app, env, encoding: 'utf8' });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim(), 'the installed CLI reports another version: rebuild dist/ (npm run build)').toBe(pkg.version);
    expect(JSON.parse(readFileSync(join(app, 'node_modules/tailgate/package.json'), 'utf8')).version).toBe(pkg.version);

    const demo = spawnSync(bin, ['demo', '--duration', '3s', '--quiet'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('== the pull-request comment it would post (markdown) ==');
  });
});
