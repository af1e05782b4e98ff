import type { BaselineBundle } from './baseline-bundle.js';
import type { Logger } from '../logging.js';
import { RecordError } from '../record/record-error.js';
import type { BaselineStore, FoundBaseline, LoadContext, SaveResult } from './baseline-store.js';

/** Both stores' answers to one save, for the log and the report. */
export type AutoSaveResult = SaveResult & { cache: SaveResult; artifact: SaveResult };

/** The `auto` store: its save says how each part went. */
export interface AutoStore extends BaselineStore {
  readonly kind: 'auto';
  save(bundle: BaselineBundle, context: { commit: string; runId: string; attempt?: string }): Promise<AutoSaveResult>;
}

/**
 * `auto`: the Actions cache and workflow artifacts together. Cache entries vanish after 7 idle
 * days and artifacts after 90, so a baseline is saved to both: one failing is a warning (logged
 * here) while the other still counts as saved; both failing is the result's warning. Loading asks
 * both and takes the bundle whose newest run is newest (on a tie, the cache's: it is the same
 * baseline). A damaged bundle in one store is a warning when the other has a good one; when it
 * is all there is, its RecordError goes to the caller. The two stores come behind
 * `refuseFutureRuns` (see choose-store), so a run dated in the future never wins the choice.
 */
export function autoStore(stores: { cache: BaselineStore; artifact: BaselineStore }, logger: Logger): AutoStore {
  return {
    kind: 'auto',
    async load(profileId: string, context: LoadContext = {}): Promise<FoundBaseline | undefined> {
      const labels = ['cache', 'artifact'] as const;
      const outcomes = await Promise.allSettled([stores.cache.load(profileId, context), stores.artifact.load(profileId, context)]);
      const found = outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value !== undefined ? [o.value] : []));
      const newest = found.reduce<FoundBaseline | undefined>((best, next) => (best === undefined || newestRunMs(next) > newestRunMs(best) ? next : best), undefined);
      const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ label: labels[i], reason: o.reason as unknown }] : []));
      if (newest !== undefined) {
        for (const f of failures) logger.warn(`The ${f.label} baseline could not be used (${newest.source} was): ${message(f.reason)}`);
        return newest;
      }
      // Nothing usable: a damaged bundle is the caller's to report; anything else is a bug.
      const failure = failures.find((f) => f.reason instanceof RecordError) ?? failures[0];
      if (failure !== undefined) throw failure.reason;
      return undefined;
    },
    async save(bundle: BaselineBundle, context: { commit: string; runId: string; attempt?: string }): Promise<AutoSaveResult> {
      const [cache, artifact] = await Promise.all([saveSafely(stores.cache, bundle, context), saveSafely(stores.artifact, bundle, context)]);
      const saved = [cache, artifact].flatMap((r) => (r.saved ? [r.where] : []));
      const failed = [cache, artifact].flatMap((r) => (r.saved ? [] : [r.warning]));
      if (saved.length === 0) return { saved: false, warning: `The baseline was saved nowhere: ${failed.join('; ')}`, cache, artifact };
      for (const warning of failed) logger.warn(`${warning} (the baseline was saved to ${saved.join(' and ')} all the same)`);
      return { saved: true, where: saved.join(' and '), cache, artifact };
    },
  };
}

async function saveSafely(store: BaselineStore, bundle: BaselineBundle, context: { commit: string; runId: string; attempt?: string }): Promise<SaveResult> {
  try {
    return await store.save(bundle, context);
  } catch (error) {
    return { saved: false, warning: `the ${store.kind} store failed: ${message(error)}` };
  }
}

/** The start of the bundle's newest run (runs are kept oldest first; taken as the max to be safe). */
function newestRunMs(found: FoundBaseline): number {
  return Math.max(...found.bundle.runs.map((run) => Date.parse(run.meta.startedAt)).filter((ms) => !Number.isNaN(ms)), -Infinity);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
