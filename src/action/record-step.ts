import { addToBundle } from '../baseline/baseline-bundle.js';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { evaluateThresholds } from '../compare/thresholds.js';
import type { Profile } from '../config/profile-types.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { ActionIo } from './action-io.js';
import type { ActionInputs } from './inputs.js';
import { baselineSummary } from './run-report.js';
import { stepOutputs } from './step-outputs.js';

/**
 * A push to the default branch: the run joins the stored baseline (a damaged one is replaced,
 * with a warning). Absolute thresholds hold on every run, but recording never waits on them:
 * returns the failure to report when one is broken, after the baseline is saved.
 */
export async function recordStep(input: { record: RunRecord; profile: Profile; inputs: ActionInputs; sha: string; store: BaselineStore }, io: ActionIo): Promise<string | undefined> {
  const { record, profile, inputs, store } = input;
  const { logger } = io;
  let existing;
  try {
    existing = (await store.load(record.meta.profile.id))?.bundle;
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    logger.warn(`the previous baseline is unusable and a new history starts: ${error.message}`);
  }
  const update = addToBundle(existing, record, inputs.history);
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
