import type { BaselineBundle } from './baseline-bundle.js';

/** A baseline bundle as found in a store, with where it came from (for the report). */
export interface FoundBaseline {
  bundle: BaselineBundle;
  /** Human words for its origin: a cache key, an artifact of run N, a file path. */
  source: string;
}

/** What a store may use to pick among several baselines; stores that keep only one ignore it. */
export interface LoadContext {
  /** A pull request's merge-base commit: the baseline recorded at that commit is preferred. */
  preferCommit?: string;
}

export type SaveResult = { saved: true; where: string } | { saved: false; warning: string };

/**
 * Where baselines live between runs: the Actions cache, workflow artifacts, both (`auto`), or a
 * file. Loading never throws for "nothing there" (undefined); a damaged bundle, or a store the
 * token may not read (the fix is a permission), is a RecordError the caller turns into a neutral
 * verdict with the reason.
 */
export interface BaselineStore {
  readonly kind: 'cache' | 'artifact' | 'file' | 'auto';
  load(profileId: string, context?: LoadContext): Promise<FoundBaseline | undefined>;
  save(bundle: BaselineBundle, context: { commit: string; runId: string; attempt?: string }): Promise<SaveResult>;
}
