import { join } from 'node:path';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { cacheStore } from '../baseline/cache-store.js';
import { fileStore } from '../baseline/file-store.js';
import type { BaselineStorage } from './inputs.js';
import { InputError } from './input-error.js';

/**
 * The store for the `baseline-storage` input. `auto` uses the Actions cache for now; artifacts
 * (kept 90 days where cache entries vanish after 7 idle days) join it in a later release.
 */
export function chooseStore(storage: BaselineStorage, tempDir: string): BaselineStore {
  switch (storage.kind) {
    case 'file':
      return fileStore(storage.file);
    case 'cache':
    case 'auto':
      return cacheStore(join(tempDir, 'tailgate-baseline'));
    case 'artifact':
      throw new InputError('baseline-storage', 'artifact storage is not available in this version; use cache, file or auto');
  }
}
