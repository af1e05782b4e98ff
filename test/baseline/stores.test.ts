import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheStore, type CacheApi } from '../../src/baseline/cache-store.js';
import { restorePrefix } from '../../src/baseline/cache-keys.js';
import { fileStore } from '../../src/baseline/file-store.js';
import { addToBundle, type BaselineBundle } from '../../src/baseline/baseline-bundle.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';

const records = join(import.meta.dirname, '../fixtures/records');
const run = parseRunRecord(readFileSync(join(records, 'current-pass.json'), 'utf8'), 'current-pass.json');
const bundle = addToBundle(undefined, run, 10).bundle as BaselineBundle;
const dir = (): string => mkdtempSync(join(tmpdir(), 'tailgate-store-'));

describe('the file store', () => {
  it('finds nothing before the first save, then what was saved', async () => {
    const store = fileStore(join(dir(), 'nested', 'baseline.json'));
    expect(await store.load('shop')).toBeUndefined();
    expect(await store.save(bundle, { commit: 'abc', runId: '1' })).toMatchObject({ saved: true });
    const found = await store.load('shop');
    expect(found?.bundle.runs).toHaveLength(1);
    expect(found?.bundle.profile).toEqual(run.meta.profile);
  });

  it('refuses a damaged file or another profile with the file and the fix', async () => {
    const path = join(dir(), 'baseline.json');
    writeFileSync(path, '{"schema": "tailgate.baseline/v1", "runs": [');
    await expect(fileStore(path).load('shop')).rejects.toThrow(/baseline\.json: the file is truncated/);
    await fileStore(path).save(bundle, { commit: 'abc', runId: '1' });
    await expect(fileStore(path).load('other')).rejects.toThrow(/holds the baseline of profile "shop", not "other"/);
  });
});

/** An in-memory stand-in for @actions/cache with its semantics: immutable keys, prefix restore, newest first. */
function memoryCache(): CacheApi & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async restoreCache(paths, primaryKey, restoreKeys = []) {
      const path = paths[0] as string;
      const hit = entries.has(primaryKey) ? primaryKey : [...entries.keys()].reverse().find((key) => restoreKeys.some((prefix) => key.startsWith(prefix)));
      if (hit === undefined) return undefined;
      writeFileSync(path, entries.get(hit) as string);
      return hit;
    },
    async saveCache(paths, key) {
      if (entries.has(key)) return -1;
      entries.set(key, readFileSync(paths[0] as string, 'utf8'));
      return entries.size;
    },
  };
}

describe('the cache store', () => {
  it('saves under a new key per run and restores the newest by prefix', async () => {
    const cache = memoryCache();
    const store = cacheStore(dir(), cache);
    expect(await store.load('shop')).toBeUndefined();
    expect(await store.save(bundle, { commit: 'c1', runId: '7' })).toEqual({ saved: true, where: `cache entry ${restorePrefix('shop')}c1-7-1` });
    const two = addToBundle(bundle, { ...run, meta: { ...run.meta, startedAt: '2026-01-03T00:00:00.000Z', runId: '8' } }, 10, new Date('2026-02-01T00:00:00Z')).bundle as BaselineBundle;
    await store.save(two, { commit: 'c2', runId: '8' });
    const found = await cacheStore(dir(), cache).load('shop');
    expect(found?.source).toBe(`cache entry ${restorePrefix('shop')}c2-8-1`);
    expect(found?.bundle.runs).toHaveLength(2);
  });

  it('reports a save the cache refused as a warning, not a success', async () => {
    const cache = memoryCache();
    const store = cacheStore(dir(), cache);
    await store.save(bundle, { commit: 'c1', runId: '7' });
    const again = await store.save(bundle, { commit: 'c1', runId: '7' });
    expect(again).toMatchObject({ saved: false });
    expect(again.saved ? '' : again.warning).toMatch(/did not save .*c1-7-1/);
    const failing = cacheStore(dir(), { ...cache, saveCache: () => Promise.reject(new Error('cache service unavailable')) });
    expect(await failing.save(bundle, { commit: 'c3', runId: '9' })).toMatchObject({ saved: false, warning: expect.stringContaining('cache service unavailable') });
  });
});
