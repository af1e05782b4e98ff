import type { Logger } from '../logging.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { BaselineBundle } from './baseline-bundle.js';
import type { BaselineStore, FoundBaseline, LoadContext } from './baseline-store.js';

/**
 * A baseline run dated in the future would stay the "newest" for ever: `auto` would always prefer
 * its store, and a history ordered by date would never rotate it out. Runners' clocks differ a
 * little, so a run up to this far ahead of the reader's clock is still taken as recorded now.
 */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

/** Whether the run claims to have started or ended later than `now` allows. */
export function isFutureDated(run: RunRecord, now: Date): boolean {
  const latest = Math.max(Date.parse(run.meta.startedAt), Date.parse(run.meta.endedAt));
  return latest > now.getTime() + MAX_CLOCK_SKEW_MS;
}

/** `run 7001 (commit 0d1a26e, dated 2099-01-01T00:00:00.000Z)`: enough to find it. */
export function describeRun(run: RunRecord): string {
  const parts = [...(run.meta.commit ? [`commit ${run.meta.commit.slice(0, 7)}`] : []), `dated ${run.meta.startedAt}`];
  return `${run.meta.runId ? `run ${run.meta.runId}` : 'a run'} (${parts.join(', ')})`;
}

/** Why a future-dated run is not used, in one sentence. */
export function futureRunReason(run: RunRecord, now: Date): string {
  return `${describeRun(run)} is dated more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes after this runner's clock (${now.toISOString()})`;
}

/** The bundle without its future-dated runs (undefined when none is left), and those it left out. */
export function withoutFutureRuns(bundle: BaselineBundle, now: Date): { bundle: BaselineBundle | undefined; skipped: RunRecord[] } {
  const skipped = bundle.runs.filter((run) => isFutureDated(run, now));
  if (skipped.length === 0) return { bundle, skipped };
  const runs = bundle.runs.filter((run) => !skipped.includes(run));
  return { bundle: runs.length === 0 ? undefined : { ...bundle, runs }, skipped };
}

/**
 * A store whose loads leave out runs dated in the future (each a warning naming it, and no
 * baseline when none is left) and whose saves refuse a bundle holding one. The Action puts every
 * store it reads behind this, the cache's and the artifact's separately under `auto`, so a
 * future date can neither be compared with nor win `auto`'s choice of the newer baseline.
 */
export function refuseFutureRuns(store: BaselineStore, options: { now: () => Date; logger: Logger }): BaselineStore {
  return {
    kind: store.kind,
    async load(profileId: string, context: LoadContext = {}): Promise<FoundBaseline | undefined> {
      const found = await store.load(profileId, context);
      if (found === undefined) return undefined;
      const now = options.now();
      const { bundle, skipped } = withoutFutureRuns(found.bundle, now);
      for (const run of skipped) options.logger.warn(`The baseline in ${found.source} holds ${futureRunReason(run, now)}; that run was skipped`);
      return bundle === undefined ? undefined : { ...found, bundle };
    },
    async save(bundle, context) {
      const now = options.now();
      const future = bundle.runs.find((run) => isFutureDated(run, now));
      if (future !== undefined) return { saved: false, warning: `The baseline was not saved: it holds ${futureRunReason(future, now)}` };
      return store.save(bundle, context);
    },
  };
}
