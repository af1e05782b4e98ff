import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importText } from './import-helpers.js';
import { k6Csv, syntheticRequests } from './synthetic-runs.js';

/** k6 `--out csv`, against a fixture written to k6's documented columns (test/fixtures/import/README.md). */
const fixture = readFileSync(join(import.meta.dirname, '../fixtures/import/k6/shop.csv'), 'utf8');

describe('k6 --out csv', () => {
  it('finds the columns by the header and reads requests, statuses, errors and checks', async () => {
    const { record, format, malformed } = await importText(fixture);
    expect(format).toBe('k6-csv');
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.steps)).toEqual(['http://127.0.0.1:3000/api/products', 'product detail', 'place order']);
    expect(record.steps['product detail']).toMatchObject({ requests: 2, errors: 1, statuses: { '200': 1, '404': 1 } });
    expect(record.steps['place order']).toMatchObject({ requests: 2, errors: 2, statuses: { '503': 1 }, errorKinds: { status: 1, refused: 1 } });
    expect(record.checks).toEqual({ 'status is 200': { passes: 1, fails: 1 } });
    expect(record.scenarios.browse?.iterations).toBe(1);
    expect(record.meta.source).toMatchObject({ tool: 'k6', format: 'k6-csv', timeResolutionMs: 1000, generatorChecked: false });
  });

  it('reads finer timestamps (timeFormat unix_milli) and says so', async () => {
    const requests = syntheticRequests({ seed: 3, seconds: 5 });
    const { record } = await importText(k6Csv(requests, 'unix_milli'));
    expect(record.meta.source?.timeResolutionMs).toBe(1);
    expect(record.overall.requests).toBe(requests.length);
  });

  it('reads the same run as k6 --out json does, whole seconds aside', async () => {
    const requests = syntheticRequests({ seed: 4, seconds: 5 });
    const { record } = await importText(k6Csv(requests));
    expect(record.overall.requests).toBe(requests.length);
    expect(record.overall.statuses).toEqual({ '200': requests.filter((r) => r.status === 200).length, '201': requests.filter((r) => r.status === 201).length, '404': requests.filter((r) => r.status === 404).length });
  });
});
