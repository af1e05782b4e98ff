import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { LoopbackServer } from '../../helpers/loopback-server.js';
import { startServerTimingTarget } from '../../helpers/server-timing-target.js';
import { captureIo } from '../../cli/cli-io.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startServerTimingTarget({ '/item': 'db;dur=12.5;desc="Orders DB", app;dur=3' });
});
afterAll(() => server.close());

/** `tailgate run --html` against a loopback target that sends Server-Timing: the page of the run alone lists its components. */
describe('tailgate run --html, a target that says where its time went', () => {
  it('shows each component’s p50 and p95 of dur, its description, and a chart of it per block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailgate-st-html-'));
    const html = join(dir, 'run.html');
    const io = captureIo();
    expect(await main(['run', `${server.url}/item`, '--rate', '40', '--duration', '2s', '--html', html, '--quiet'], io)).toBe(0);
    const page = readFileSync(html, 'utf8');
    // The durations the target sent, exactly (3 significant digits): the same in every response.
    expect(page).toMatch(/<tr><td><code>db<\/code><\/td><td>12\.5 ms<\/td><td>12\.5 ms<\/td><td>\d+<\/td><td class="text">Orders DB<\/td><\/tr>/);
    expect(page).toMatch(/<tr><td><code>app<\/code><\/td><td>3\.00 ms<\/td><td>3\.00 ms<\/td><td>\d+<\/td><td class="text"><\/td><\/tr>/);
    expect(page).toContain('Server-Timing: each component’s p95 of dur per block');
  });
});
