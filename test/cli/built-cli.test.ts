import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../src/node-version.js';

const root = join(import.meta.dirname, '../..');

describe('the built bundles', () => {
  it('dist/cli.js answers --version and --help', () => {
    const cli = join(root, 'dist/cli.js');
    expect(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })).toContain('Usage: tailgate <command>');
  });

  it('dist/cli.js on an older Node.js stops at once with a sentence and exit code 2', () => {
    // process.version is made to say v20 before the bundle loads, as a Node.js 20 would.
    const pretend = "data:text/javascript,Object.defineProperty(process,'version',{value:'v20.20.2'})";
    const result = spawnSync(process.execPath, ['--import', pretend, join(root, 'dist/cli.js'), '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(nodeVersionProblem('v20.20.2'));
  });

  it.each([
    ['v20.20.2', false],
    ['v22.15.0', false],
    ['v22.19.0', true],
    ['v22.23.3', true],
    ['v23.0.0', true],
    ['v24.0.0', true],
    ['v25.1.0', true],
  ])('Node.js %s can run tailgate: %s', (version, ok) => {
    expect(nodeVersionProblem(version) === undefined).toBe(ok);
    if (!ok) expect(nodeVersionProblem(version)).toContain(`tailgate needs Node.js 22.19.0 or newer (the 22 or 24 LTS line), and this is ${version}`);
    // Never the advice to run it with npx: that runs the same Node.js.
    if (!ok) expect(nodeVersionProblem(version)).not.toContain('npx');
  });

  it('the tests themselves run on Node 24, as the Action does', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});
