import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { loadProfile } from '../../src/config/load-profile.js';
import * as examples from '../../src/init/example-workflows.js';
import { SETUPS } from '../../src/init/starter-profile.js';
import { ACTION_USES, PROFILE_SCHEMA_URL, TOOL_REPOSITORY, TOOL_VERSION, repositoryName } from '../../src/version.js';
import pkg from '../../package.json' with { type: 'json' };
import { captureIo } from './cli-io.js';

const root = join(import.meta.dirname, '../..');
const fresh = (): string => mkdtempSync(join(tmpdir(), 'tailgate-init-'));

const WORKFLOWS: Record<(typeof SETUPS)[number], string[]> = {
  localhost: ['.github/workflows/performance.yml'],
  preview: ['.github/workflows/performance.yml'],
  fork: ['.github/workflows/performance.yml', '.github/workflows/performance-report.yml'],
};

/** Every `uses:` of every step of every job. */
function usesOf(workflow: { jobs: Record<string, { steps: Array<{ uses?: string }> }> }): string[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
}

describe('tailgate init', () => {
  it.each(SETUPS)('--setup %s writes a starter profile the loader accepts and a workflow with the tailgate step', async (setup) => {
    const dir = fresh();
    const io = captureIo();
    expect(await main(['init', '--setup', setup, '--dir', dir], io)).toBe(0);

    const profileText = readFileSync(join(dir, 'tailgate.yml'), 'utf8');
    expect(profileText.split('\n')[0]).toBe(`# yaml-language-server: $schema=${PROFILE_SCHEMA_URL}`);
    // The real loader, with an empty environment: it must load as written.
    const profile = await loadProfile(join(dir, 'tailgate.yml'), { env: {} });
    expect(profile.id).toBe('my-service');
    expect(profile.target).toBe('http://127.0.0.1:3000');
    expect(profile.journeys[0]?.steps.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /']);
    // And inspect accepts it (thresholds and regression settings too).
    expect(await main(['inspect', '--config', join(dir, 'tailgate.yml')], captureIo())).toBe(0);

    for (const path of WORKFLOWS[setup]) {
      const text = readFileSync(join(dir, path), 'utf8');
      expect(io.out()).toContain(`wrote ${join(dir, path)}`);
      const workflow = parseYaml(text) as { on: unknown; jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }> };
      expect(workflow.on).toBeDefined();
      expect(usesOf(workflow)).toContain(ACTION_USES);
      const step = Object.values(workflow.jobs).flatMap((j) => j.steps).find((s) => s.uses === ACTION_USES);
      if (path.endsWith('performance-report.yml')) expect(step?.with?.mode).toBe('report');
      else expect(step?.with?.config).toBe('tailgate.yml');
    }
    expect(io.out()).toContain('tailgate inspect --config');
  });

  it('never overwrites a file: exit 2, a sentence naming it, nothing written', async () => {
    const dir = fresh();
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/performance.yml'), 'mine\n');
    const io = captureIo();
    expect(await main(['init', '--dir', dir], io)).toBe(2);
    expect(io.log.join('\n')).toContain(`${join(dir, '.github/workflows/performance.yml')} already exists; tailgate init never overwrites a file and wrote nothing`);
    expect(readFileSync(join(dir, '.github/workflows/performance.yml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'tailgate.yml'))).toBe(false);

    const again = fresh();
    expect(await main(['init', '--dir', again], captureIo())).toBe(0);
    const second = captureIo();
    expect(await main(['init', '--dir', again], second)).toBe(2);
    expect(second.log.join('\n')).toContain(`${join(again, 'tailgate.yml')} already exists`);
  });

  it('refuses an unknown --setup, naming the choices', async () => {
    const io = captureIo();
    expect(await main(['init', '--setup', 'vercel', '--dir', fresh()], io)).toBe(2);
    expect(io.log.join('\n')).toContain('--setup must be one of localhost, preview, fork (got "vercel")');
  });

  it('the starter workflows are the examples, which the bundle carries as strings', () => {
    const files: Record<string, string> = {
      LOCALHOST_WORKFLOW: 'localhost-server.yml',
      PREVIEW_WORKFLOW: 'deployment-preview.yml',
      FORK_PR_WORKFLOW: 'fork-safe-pr.yml',
      FORK_REPORT_WORKFLOW: 'fork-safe-report.yml',
    };
    for (const [name, file] of Object.entries(files)) {
      expect(examples[name as keyof typeof examples], `src/init/example-workflows.ts ${name} differs from examples/${file}: copy the file into it`).toBe(
        readFileSync(join(root, 'examples', file), 'utf8'),
      );
    }
  });
});

describe('the version and the repository are written once, in package.json', () => {
  it('the CLI, the records and the starters read them from there', async () => {
    expect(TOOL_VERSION).toBe(pkg.version);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    const io = captureIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out().trim()).toBe(pkg.version);
    expect(ACTION_USES).toBe(`${TOOL_REPOSITORY}@v${pkg.version.split('.')[0]}`);
    expect(TOOL_REPOSITORY).toMatch(/^[^/]+\/tailgate$/);
    expect(repositoryName('git+https://github.com/acme/tailgate.git')).toBe('acme/tailgate');
    expect(repositoryName('https://github.com/acme/tailgate')).toBe('acme/tailgate');
  });

  it('CHANGELOG.md has a section for the version, as the release workflow needs', () => {
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${pkg.version.replaceAll('.', '\\.')}$`, 'm'));
  });
});
