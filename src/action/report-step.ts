import { join } from 'node:path';
import { pullRequestHeadMatches } from '../github/pull-request-lookup.js';
import type { ActionIo } from './action-io.js';
import { downloadForkReports } from './fork-report-artifact.js';
import { InputError } from './input-error.js';
import type { ActionInputs } from './inputs.js';
import { publishToGitHub } from './publish.js';
import { comparisonReport } from './run-report.js';

/**
 * `mode: report`, in a `workflow_run` workflow with a write token: posts the reports a fork's run
 * uploaded. Nothing of the fork runs here; its report is data, checked before use, and its PR is
 * confirmed with the API (open, head at the measured commit) before anything is posted.
 */
export async function reportStep(inputs: ActionInputs, payload: unknown, io: ActionIo): Promise<void> {
  const { logger, env } = io;
  const run = (payload as { workflow_run?: { id?: number; head_sha?: string } }).workflow_run;
  if (typeof run?.id !== 'number' || !env.repository || !inputs.githubToken) {
    throw new InputError('mode', 'report needs a workflow_run event, GITHUB_REPOSITORY and a github-token');
  }
  const { owner, repo } = env.repository;
  const workDir = join(env.tempDir, 'tailgate', 'reports');
  const reports = await downloadForkReports(io.artifacts, { token: inputs.githubToken, workflowRunId: run.id, owner, repo }, workDir);
  if (reports.length === 0) logger.info(`run ${run.id} left no tailgate report`);
  const octokit = io.github(inputs.githubToken);
  for (const report of reports) {
    if (report.headSha !== run.head_sha) {
      logger.warn(`report ${report.profileId} names commit ${report.headSha}, but run ${run.id} built ${run.head_sha ?? '?'}: not posted`);
      continue;
    }
    const matches = await pullRequestHeadMatches(octokit, { owner, repo, number: report.pullRequest, headSha: report.headSha }).catch(() => false);
    if (!matches) {
      logger.warn(`pull request #${report.pullRequest} is not open at ${report.headSha}: report ${report.profileId} not posted`);
      continue;
    }
    let markdown: string;
    try {
      markdown = comparisonReport(report.comparison, env.runUrl, undefined, { now: io.now() });
    } catch {
      logger.warn(`report ${report.profileId} is malformed: not posted`);
      continue;
    }
    await io.writeSummary(markdown);
    const published = await publishToGitHub({ inputs, target: { sha: report.headSha, pullRequest: report.pullRequest }, comparison: report.comparison, markdown, profileId: report.profileId, env, github: io.github, logger });
    io.setOutputs({ 'comment-url': published.commentUrl ?? '', verdict: report.comparison.verdict });
  }
}
