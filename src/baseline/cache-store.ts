import * as actionsCache from '@actions/cache';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineBundle } from './baseline-bundle.js';
import type { BaselineStore, FoundBaseline, SaveResult } from './baseline-store.js';
import { parseBundle, serializeBundle } from './bundle-file.js';
import { restorePrefix, saveKey } from './cache-keys.js';

/** The two calls of @actions/cache this store makes; tests may pass their own. */
export interface CacheApi {
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

/**
 * Baselines in the Actions cache. Restore finds the newest entry by the profile's key prefix
 * (current branch first, then the default branch: GitHub's own scoping); save writes a new,
 * immutable key. A save that returns -1 (the key exists, or another job is saving it) is a
 * warning, never a silent success. Entries unused for 7 days are evicted by GitHub.
 */
export function cacheStore(workDir: string, cache: CacheApi = actionsCache): BaselineStore {
  const pathFor = (profileId: string): string => join(workDir, `tailgate-baseline-${profileId}.json`);
  return {
    kind: 'cache',
    async load(profileId: string): Promise<FoundBaseline | undefined> {
      const path = pathFor(profileId);
      await mkdir(workDir, { recursive: true });
      const key = await cache.restoreCache([path], restorePrefix(profileId), [restorePrefix(profileId)]);
      if (key === undefined) return undefined;
      return { bundle: parseBundle(await readFile(path, 'utf8'), `cache entry ${key}`), source: `cache entry ${key}` };
    },
    async save(bundle: BaselineBundle, context: { commit: string; runId: string; attempt?: string }): Promise<SaveResult> {
      const path = pathFor(bundle.profile.id);
      await mkdir(workDir, { recursive: true });
      await writeFile(path, serializeBundle(bundle));
      const key = saveKey(bundle.profile.id, context.commit, context.runId, context.attempt);
      try {
        const id = await cache.saveCache([path], key);
        if (id === -1) return { saved: false, warning: `the Actions cache did not save ${key} (the key exists already, or another job is saving it)` };
        return { saved: true, where: `cache entry ${key}` };
      } catch (error) {
        return { saved: false, warning: `the Actions cache could not save ${key}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
