import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCounts } from '../../src/record/latency-counts.js';
import { importText } from './import-helpers.js';
import { gatlingLog, syntheticRequests } from './synthetic-runs.js';

/** Gatling's text simulation.log (before 3.12), fixtures written to its layout (test/fixtures/import/README.md). */
const read = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/import/gatling', name), 'utf8');

describe("Gatling's simulation.log", () => {
  it('reads the later 3.x layout: requests by name, KO as errors by their message, users as VUs, the version', async () => {
    const { record, format, malformed } = await importText(read('shop-3.11.log'));
    expect(format).toBe('gatling');
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.steps)).toEqual(['list products', 'product detail', 'place order']);
    expect(record.steps['list products']).toMatchObject({ requests: 2, errors: 0 });
    // A failed status check names the status it found.
    expect(record.steps['product detail']).toMatchObject({ requests: 2, errors: 1, statuses: { '404': 1 }, errorKinds: { status: 1 } });
    // A refused connection has no latency; a timeout keeps its 60 s, a lower bound.
    expect(record.steps['place order']).toMatchObject({ requests: 3, errors: 2, errorKinds: { refused: 1, timeout: 1 } });
    expect(decodeCounts(record.steps['place order']?.histogram ?? '').total).toBe(2);
    expect(record.summary.steps['place order']?.max).toBeGreaterThanOrEqual(59_000);
    expect(record.scenarios.default).toMatchObject({ executor: 'external', maxVUs: 2 });
    expect(record.meta.source).toMatchObject({ tool: 'gatling', version: '3.11.5', format: 'gatling-log', timeResolutionMs: 1, latencyFrom: 'actual-start', fidelity: 'per-request' });
  });

  it("reads the first 3.x layout, whose user ids give each request its user's scenario", async () => {
    const { record, malformed } = await importText(read('shop-3.3.log'));
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.scenarios).sort()).toEqual(['orders', 'shop']);
    expect(record.scenarios.shop?.iterations).toBe(0);
    expect(record.steps['place order']).toMatchObject({ requests: 1, errors: 1, statuses: { '503': 1 } });
    expect(record.meta.source?.version).toBe('3.3.1');
  });

  it('reads a synthetic run alike in both layouts', async () => {
    const requests = syntheticRequests({ seed: 7, seconds: 5 });
    const late = await importText(gatlingLog(requests));
    const early = await importText(gatlingLog(requests, { userIds: true }));
    expect(late.record.overall.requests).toBe(requests.length);
    expect(early.record.overall).toEqual(late.record.overall);
    expect(late.record.steps['product detail']?.errors).toBe(requests.filter((r) => r.status === 404).length);
  });

  it('skips and names garbage lines, and says a file cut short looks truncated', async () => {
    const text = read('shop-3.11.log').split('\n');
    text.splice(3, 0, 'not a record', `REQUEST\t\tlist products\tsoon\tlater\tOK\t `);
    const garbled = await importText(text.join('\n'));
    expect(garbled.malformed.count).toBe(2);
    expect(garbled.notes[0]).toBe(
      'skipped 2 malformed lines of 17 (line 4: it begins "not a record", not RUN, USER, REQUEST, GROUP, ERROR or ASSERTION; line 5: a REQUEST line without its start and end times (ms) followed by OK or KO)',
    );
    expect(garbled.record.overall.requests).toBe(7);

    const whole = read('shop-3.11.log');
    const cut = whole.slice(0, whole.indexOf(', found 404') + 4);
    const truncated = await importText(cut);
    expect(truncated.truncated).toBe(true);
    expect(truncated.notes.join('\n')).toMatch(/the file ends without a newline after line 8: it looks truncated/);
  });

  it('refuses the binary simulation.log of Gatling 3.12 and later, with what it is', async () => {
    const binary = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from('3.12.0'), Buffer.from([0, 0, 0, 20]), Buffer.from('shop.ShopSimulation\n')]);
    await expect(importText(binary, { file: 'results/shop-20251201/simulation.log' })).rejects.toThrow(
      /simulation\.log: this looks like the binary simulation\.log of Gatling 3\.12 or later, .* which tailgate import does not read \(run the simulation with Gatling 3\.11 or earlier/,
    );
  });
});
