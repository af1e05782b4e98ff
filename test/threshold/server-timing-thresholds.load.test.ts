import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { LoopbackServer } from '../helpers/loopback-server.js';
import { startServerTimingTarget } from '../helpers/server-timing-target.js';
import { captureIo } from '../cli/cli-io.js';

/**
 * `server_timing{name:db}` thresholds checked after a real run, as latency thresholds are: a
 * loopback checkout that reports db 10 ms and app 2 ms in its Server-Timing header. A threshold
 * the durations break fails the run (exit 1, the line names it), met ones pass (exit 0), and a
 * name the target never sent is "no data" with the names it did send, not an error.
 */
const dir = mkdtempSync(join(tmpdir(), 'tailgate-st-thresholds-'));
let server: LoopbackServer;
beforeAll(async () => {
  server = await startServerTimingTarget({ '/checkout': 'db;dur=10, app;dur=2' });
});
afterAll(() => server.close());

function profile(thresholds: Record<string, string[]>): string {
  const file = join(dir, `p-${Object.keys(thresholds).length}-${Math.random().toString(36).slice(2)}.yml`);
  const lines = Object.entries(thresholds).map(([metric, expressions]) => `  "${metric}": [${expressions.map((e) => `"${e}"`).join(', ')}]`);
  writeFileSync(
    file,
    [
      'name: st-thresholds',
      `target: ${server.url}`,
      'scenarios: { s: { executor: constant-vus, vus: 2, duration: 1s } }',
      'journeys: { j: { steps: [{ request: GET /checkout, name: checkout }] } }',
      'thresholds:',
      ...lines,
      '',
    ].join('\n'),
  );
  return file;
}

describe('server_timing thresholds after a loopback run', () => {
  it('fails the run on a broken one and says which; a name the target did not send is no data', async () => {
    const io = captureIo();
    const code = await main(['run', '--config', profile({ 'server_timing{name:db}': ['p(95)<5', 'avg<20'], 'server_timing{name:app,step:checkout}': ['p(95)<50'], 'server_timing{name:dbb}': ['p(95)<50'] }), '--quiet'], io);
    const out = io.out();
    expect(code, out).toBe(1);
    expect(out).toMatch(/BROKEN server_timing\{name:db\}: p\(95\)<5, observed 10\.\d+ ms/);
    expect(out).toMatch(/ok {5}server_timing\{name:db\}: avg<20, observed 10\.\d+ ms/);
    expect(out).toMatch(/ok {5}server_timing\{name:app,step:checkout\}: p\(95\)<50, observed 2\.\d+ ms/);
    expect(out.replace(/\s+/g, ' ')).toContain('no data server_timing{name:dbb}: p(95)<50, observed - (no response carried a Server-Timing component named "dbb" (the run saw app, db))');
  }, 60_000);

  it('passes the run when every one is met', async () => {
    const io = captureIo();
    const code = await main(['run', '--config', profile({ 'server_timing{name:db}': ['p(95)<50', 'med<20', 'max<100'] }), '--quiet'], io);
    expect(code, io.out()).toBe(0);
    expect(io.out()).toContain('thresholds: 3 met, 0 broken');
  }, 60_000);
});
