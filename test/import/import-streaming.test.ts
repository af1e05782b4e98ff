import { appendFileSync, createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRun } from '../../src/import/import-run.js';
import { k6Json, syntheticRequests } from './synthetic-runs.js';

/**
 * A big k6 file imports in bounded memory: it is streamed, never read whole. A 50 MB file is
 * written in pieces (so the test itself never holds it), imported, and the process's resident
 * memory sampled meanwhile. Its growth is reported and bounded below what reading it whole takes; how
 * long it took is reported, never asserted (5.7 s on a busy 2-core machine).
 */
const MB = 1024 * 1024;

describe('a 50 MB k6 --out json file', () => {
  it('imports with memory bounded below what reading it whole would take', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-import-big-')), 'big.json');
    writeFileSync(file, '');
    let requests = 0;
    const start = Date.UTC(2026, 11, 3);
    for (let piece = 0; statSync(file).size < 50 * MB; piece++) {
      // 60 s a piece, a minute after the one before: one run of many minutes.
      const drawn = syntheticRequests({ seed: 9000 + piece, seconds: 60, startMs: start + piece * 60_000 });
      requests += drawn.length;
      appendFileSync(file, k6Json(drawn));
    }
    const size = statSync(file).size;
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const started = process.hrtime.bigint();
    const result = await importRun({ file, open: () => createReadStream(file), tailgateVersion: '0.0.0-test' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `import of ${(size / MB).toFixed(1)} MB (${result.lines} lines, ${requests} requests, ${result.record.blocks.length} blocks): ` +
        `RSS ${(before / MB).toFixed(0)} MiB before, ${(peak / MB).toFixed(0)} MiB at most (+${((peak - before) / MB).toFixed(0)} MiB), ${seconds.toFixed(1)} s`,
    );
    expect(result.record.overall.requests).toBe(requests);
    expect(result.malformed.count).toBe(0);
    // Read whole, the file would take three times its size (the bytes, the string, its lines):
    // some 160 MB here. Streamed it takes about 45 MiB alone, more beside other test files in
    // one worker, whose garbage is collected meanwhile.
    expect(peak - before).toBeLessThan(128 * MB);
  }, 300_000);
});
