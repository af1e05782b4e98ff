import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';

const CLI = join(import.meta.dirname, '../../dist/cli.js');

let server: LoopbackServer;
beforeAll(async () => {
  server = await startServer((req, res) => respondAfter(res, req, 5));
});
afterAll(() => server.close());

describe('the built CLI (dist/cli.js)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('on %s stops the load, keeps what was measured and writes the record', async (signal) => {
    expect(existsSync(CLI), 'dist/cli.js is missing: npm run build').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'tailgate-signal-'));
    const config = join(dir, 'long.yml');
    const out = join(dir, 'run.json');
    writeFileSync(
      config,
      `target: ${server.url}\nwarmup: 500ms\nscenarios:\n  long:\n    executor: constant-vus\n    vus: 4\n    duration: 60s\n    journeys: [j]\njourneys:\n  j:\n    steps:\n      - request: GET /\n        think: 20ms\n`,
    );
    const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--out', out], { env: { ...process.env, TAILGATE_SELF_CHECK: 'idle' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Stop it 2 s after the load began (its first line), however long a busy machine took to start it.
    await new Promise<void>((resolve) => {
      const began = (): void => {
        if (/scenario\(s\)/.test(stderr)) {
          child.stderr.off('data', began);
          resolve();
        }
      };
      child.stderr.on('data', began);
      began();
    });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(Date.now() - started).toBeLessThan(8000);
    expect(code).toBe(2);
    expect(stderr).toContain(`${signal}: stopping the load`);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.meta.interrupted).toBe(true);
    expect(record.meta.measuredMs).toBeGreaterThan(1000);
    expect(record.meta.measuredMs).toBeLessThan(6000);
    expect(record.overall.requests).toBeGreaterThan(50);
    expect(record.overall.errors).toBe(0);
  });
});
