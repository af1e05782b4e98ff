import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('the built bundles', () => {
  it('dist/cli.js answers --version and --help', () => {
    const cli = join(root, 'dist/cli.js');
    expect(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })).toContain('Usage: tailgate <command>');
  });

  it('the tests themselves run on Node 24, as the Action does', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});
