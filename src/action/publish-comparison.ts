import type { Comparison } from '../compare/comparison-types.js';
import type { ActionIo } from './action-io.js';
import { uploadForkReport } from './fork-report-artifact.js';
import { FORK_REPORT_SCHEMA, type ForkReport } from './fork-report.js';
import type { ActionInputs } from './inputs.js';
import { publishToGitHub } from './publish.js';
import type { Trigger } from './trigger.js';

/**
 * Where a comparison's report goes after the job summary: the PR comment and the check run, or,
 * for a fork's pull request (whose token is read-only), an artifact for `mode: report` to post.
 * Returns the comment's URL when there is one.
 */
export async function publishComparison(comparison: Comparison, markdown: string, context: { inputs: ActionInputs; trigger: Trigger; workDir: string }, io: ActionIo): Promise<string | undefined> {
  const { inputs, trigger, workDir } = context;
  if (trigger.isFork) {
    await leaveForkReport(comparison, trigger, workDir, io);
    return undefined;
  }
  const target = { sha: trigger.sha, ...(trigger.pullRequest !== undefined ? { pullRequest: trigger.pullRequest } : {}) };
  const published = await publishToGitHub({ inputs, target, comparison, markdown, profileId: comparison.profile.id, env: io.env, github: io.github, logger: io.logger });
  return published.commentUrl;
}

async function leaveForkReport(comparison: Comparison, trigger: Trigger, workDir: string, io: ActionIo): Promise<void> {
  io.logger.warn("a fork's pull request gets a read-only token: the report is in the job summary, and uploaded for a mode: report workflow to post");
  if (trigger.pullRequest === undefined) return;
  const report: ForkReport = { schema: FORK_REPORT_SCHEMA, profileId: comparison.profile.id, pullRequest: trigger.pullRequest, headSha: trigger.sha, comparison };
  try {
    io.logger.info(`uploaded the report as artifact ${await uploadForkReport(io.artifacts, report, workDir)}`);
  } catch (error) {
    io.logger.warn(`could not upload the report artifact: ${error instanceof Error ? error.message : String(error)}`);
  }
}
