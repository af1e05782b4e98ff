import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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

  describe('installed from its tarball into an empty folder, offline and alone', () => {
    let app = '';
    let bin = '';
    beforeAll(() => {
      expect(existsSync(join(root, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build first (npm test does)').toBe(true);
      const work = mkdtempSync(join(tmpdir(), 'tailgate-pack-'));
      const [packed] = JSON.parse(npm(['pack', '--json', '--loglevel=error', '--pack-destination', work], root, 60_000)) as Array<{ filename: string }>;
      const tarball = join(work, packed?.filename ?? '');
      app = join(work, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), '{ "name": "empty", "private": true }\n');
      npm(['install', '--no-save', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tarball], app, 150_000);
      bin = join(app, 'node_modules/.bin/tailgate');
    }, 180_000);

    it('holds tailgate alone, and the installed tailgate answers --version and runs a short demo', { timeout: 90_000 }, () => {
      expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['tailgate']);
      const version = spawnSync(bin, ['--version'], { cwd: app, env, encoding: 'utf8' });
      expect(version.stderr).toBe('');
      expect(version.stdout.trim(), 'the installed CLI reports another version: rebuild dist/ (npm run build)').toBe(pkg.version);
      expect(JSON.parse(readFileSync(join(app, 'node_modules/tailgate/package.json'), 'utf8')).version).toBe(pkg.version);

      const demo = spawnSync(bin, ['demo', '--duration', '3s', '--quiet'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
      expect(demo.status, demo.stderr).toBe(0);
      expect(demo.stdout).toContain('== the pull-request comment it would post (markdown) ==');
    });

    it('runs on Node.js 22, the other LTS line, from the package\'s own bin', { timeout: 240_000 }, (context) => {
      const node22 = installNode22();
      if (node22 === undefined) {
        console.warn('npm could not install node@22 (no registry?): the CLI on Node.js 22 is not tested in this run');
        context.skip();
        return;
      }
      const on22: NodeJS.ProcessEnv = { ...env, PATH: `${dirname(node22)}${delimiter}${env.PATH ?? ''}` };
      expect(execFileSync('node', ['--version'], { env: on22, encoding: 'utf8' }).trim()).toMatch(/^v22\./);
      const help = spawnSync(bin, ['--help'], { cwd: app, env: on22, encoding: 'utf8' });
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain('Usage: tailgate <command>');
      const demo = spawnSync(bin, ['demo', '--duration', '3s', '--quiet'], { cwd: app, env: on22, encoding: 'utf8', timeout: 90_000 });
      expect(demo.status, demo.stderr).toBe(0);
      expect(demo.stdout).toContain('== the pull-request comment it would post (markdown) ==');
    });
  });
});

/**
 * A Node.js 22 binary from npm's `node@22` package, kept under node_modules/.cache between runs;
 * undefined when npm cannot install it.
 */
function installNode22(): string | undefined {
  const prefix = join(root, 'node_modules/.cache/tailgate-node22');
  const bin = join(prefix, 'node_modules/.bin/node');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{ "name": "node22", "private": true }\n');
    try {
      npm(['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', 'node@22'], prefix, 180_000);
    } catch {
      return undefined;
    }
  }
  return existsSync(bin) ? bin : undefined;
}
