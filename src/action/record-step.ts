import { addToBundle } from '../baseline/baseline-bundle.js';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { evaluateThresholds } from '../threshold/thresholds.js';
import type { Profile } from '../config/profile-types.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { ActionIo } from './action-io.js';
import type { ActionInputs } from './inputs.js';
import { baselineSummary } from './run-report.js';
import { stepOutputs } from './step-outputs.js';

/** The trailer a maintainer writes in a pushed commit's message to accept a change of level. */
export const ACCEPT_TRAILER = 'Tailgate-Accept';

/**
 * Whether the pushed commit's message accepts a change of level for this profile: a line
 * `Tailgate-Accept: <profile ids, comma-separated, or all>` (case-insensitive name, as git reads
 * trailers) in its last paragraph.
 */
export function acceptsChange(message: string | undefined, profileId: string): boolean {
  if (message === undefined) return false;
  const paragraphs = message.replace(/\r\n/g, '\n').trim().split(/\n\s*\n/);
  const trailers = (paragraphs.at(-1) ?? '').split('\n');
  return trailers.some((line) => {
    const match = /^tailgate-accept\s*:\s*(.+)$/i.exec(line.trim());
    if (!match) return false;
    const names = (match[1] as string).split(',').map((name) => name.trim());
    return names.some((name) => name.toLowerCase() === 'all' || name === profileId);
  });
}

/** The pushed head commit's message from a push event's payload; undefined for other events. */
export function headCommitMessage(payload: unknown): string | undefined {
  const message = (payload as { head_commit?: { message?: unknown } } | null)?.head_commit?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * A push to the default branch: the run joins the stored baseline (a damaged one is replaced,
 * with a warning). A `Tailgate-Accept:` trailer on the pushed commit marks the run as starting a
 * new segment of the history (its meta says so, and comparisons take the level from it on);
 * `baseline-reset: true` replaces the baseline with this run alone. Absolute thresholds hold on
 * every run, but recording never waits on them: returns the failure to report when one is
 * broken, after the baseline is saved.
 */
export async function recordStep(
  input: { record: RunRecord; profile: Profile; inputs: ActionInputs; sha: string; store: BaselineStore; commitMessage?: string | undefined },
  io: ActionIo,
): Promise<string | undefined> {
  const { profile, inputs, store } = input;
  const { logger } = io;
  let record = input.record;
  let existing;
  if (inputs.baselineReset) {
    record = { ...record, meta: { ...record.meta, baseline: { newSegment: 'reset' } } };
    logger.info('baseline-reset: true: the baseline is replaced by this run alone.');
  } else {
    try {
      existing = (await store.load(record.meta.profile.id))?.bundle;
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      logger.warn(`the previous baseline is unusable and a new history starts: ${error.message}`);
    }
    if (acceptsChange(input.commitMessage, record.meta.profile.id)) {
      record = { ...record, meta: { ...record.meta, baseline: { newSegment: 'accepted' } } };
      logger.info(`${ACCEPT_TRAILER}: the pushed commit accepts a change of level for ${record.meta.profile.id}: this run starts a new segment of the baseline (the runs before it still measure the run-to-run noise).`);
    }
  }
  const update = addToBundle(existing, record, inputs.history, io.now());
  for (const note of update.notes) logger.info(note);
  let saved = 'The baseline was not updated';
  if (update.added && update.bundle) {
    const result = await store.save(update.bundle, {
      commit: input.sha,
      runId: io.env.runId ?? String(io.now().getTime()),
      ...(io.env.runAttempt ? { attempt: io.env.runAttempt } : {}),
    });
    if (result.saved) saved = `Saved to ${result.where} (${update.bundle.runs.length} run(s) of history)`;
    else logger.warn(result.warning);
  }
  logger.info(saved);
  await io.writeSummary(baselineSummary(record, saved, update.notes));
  io.setOutputs({ ...stepOutputs(record, undefined, 'no-baseline'), report: '' });

  const broken = evaluateThresholds(record, profile.thresholds).filter((t) => t.status === 'broken');
  for (const t of broken) logger.error(`threshold broken: ${t.metric}: ${t.expression} (observed ${t.observed ?? '-'})`);
  if (broken.length > 0 && inputs.failOn !== 'never') return `tailgate: ${broken.length} threshold(s) of ${profile.id} broken; the baseline was recorded all the same`;
  return undefined;
}
