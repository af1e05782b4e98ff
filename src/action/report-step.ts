import { join } from 'node:path';
import type { Conclusion } from '../compare/comparison-types.js';
import { pullRequestHeadMatches } from '../github/pull-request-lookup.js';
import { describeReportingFailure } from '../github/reporting-errors.js';
import { httpFailure } from '../github/retry-policy.js';
import { renderReport } from '../report/render-report.js';
import type { ActionIo } from './action-io.js';
import { downloadForkReports } from './fork-report-artifact.js';
import type { ForkReport } from './fork-report.js';
import { InputError } from './input-error.js';
import type { ActionInputs } from './inputs.js';
import { publishToGitHub } from './publish.js';

/**
 * `mode: report`, in a `workflow_run` workflow with a write token: posts the reports a fork's run
 * uploaded. Nothing of the fork runs here; its report is data, checked before use (see
 * fork-report.ts), and its PR is confirmed with the API (open, head at the measured commit)
 * before anything is posted. The verdict is the fork's run's, posted as reported: the comment
 * and the check say so, and the check is neutral unless `fork-verdict: enforce`. Each report
 * stands alone: a bad one is a warning and the others are still posted, and a missing permission
 * is a warning naming it. Nothing here fails the step but a wrong event or a missing token.
 */
export async function reportStep(inputs: ActionInputs, payload: unknown, io: ActionIo): Promise<void> {
  const { logger, env } = io;
  const run = (payload as { workflow_run?: { id?: unknown; head_sha?: unknown } }).workflow_run;
  if (typeof run?.id !== 'number' || !Number.isSafeInteger(run.id) || !env.repository || !inputs.githubToken) {
    throw new InputError('mode', 'report needs a workflow_run event, GITHUB_REPOSITORY and a github-token');
  }
  const runId = run.id;
  const headSha = typeof run.head_sha === 'string' ? run.head_sha : undefined;
  const { owner, repo } = env.repository;
  const workDir = join(env.tempDir, 'tailgate', 'reports');
  let reports: ForkReport[];
  try {
    reports = await downloadForkReports(io.artifacts, { token: inputs.githubToken, workflowRunId: runId, owner, repo }, workDir, (message) => logger.warn(message));
  } catch (error) {
    logger.warn(artifactListFailure(runId, error));
    return;
  }
  if (reports.length === 0) logger.info(`run ${runId} left no tailgate report to post`);
  const octokit = io.github(inputs.githubToken);
  for (const report of reports) {
    if (report.headSha !== headSha) {
      logger.warn(`report ${report.profileId} names commit ${report.headSha}, but run ${runId} built ${headSha ?? '?'}: not posted`);
      continue;
    }
    let matches: boolean;
    try {
      matches = await pullRequestHeadMatches(octokit, { owner, repo, number: report.pullRequest, headSha: report.headSha });
    } catch (error) {
      logger.warn(pullRequestLookupFailure(report, error));
      continue;
    }
    if (!matches) {
      logger.warn(`pull request #${report.pullRequest} is not open at ${report.headSha}: report ${report.profileId} not posted`);
      continue;
    }
    const conclusion: Conclusion = inputs.forkVerdict === 'enforce' ? report.comparison.conclusion : 'neutral';
    const notice =
      `Measured and reported by the pull request's own workflow run (${runId}), which ran the fork's code; ` +
      `this is that run's verdict as it reported it, not measured here. ` +
      (inputs.forkVerdict === 'enforce' ? 'The check concludes as that run reported (fork-verdict: enforce).' : 'The check is neutral whatever the verdict (fork-verdict: neutral).');
    let markdown: string;
    try {
      markdown = renderReport(report.comparison, { ...(env.runUrl ? { runUrl: env.runUrl } : {}), now: io.now(), notice });
    } catch (error) {
      logger.warn(`report ${report.profileId} could not be rendered (${error instanceof Error ? error.message : String(error)}): not posted`);
      continue;
    }
    await io.writeSummary(markdown);
    const reported = { conclusion, titleNote: `(as reported by the pull request's run ${runId})` };
    const target = { sha: report.headSha, pullRequest: report.pullRequest };
    const published = await publishToGitHub({ inputs, target, comparison: report.comparison, markdown, profileId: report.profileId, env, github: io.github, logger, reported });
    io.setOutputs({ 'comment-url': published.commentUrl ?? '', verdict: report.comparison.verdict });
  }
}

/** Listing another run's artifacts needs `actions: read`; without it GitHub answers 403 (or 404). */
function artifactListFailure(runId: number, error: unknown): string {
  const failure = httpFailure(error);
  const what = `could not list the artifacts of run ${runId}, so no report was posted`;
  if (failure !== undefined && (failure.status === 403 || failure.status === 404)) {
    return `${what}: GitHub answered ${failure.status}. The workflow's token needs \`actions: read\`: add it under \`permissions:\` in the workflow.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const permission = /\b(403|404)\b|not accessible|forbidden/i.test(message) ? " The workflow's token needs `actions: read`: add it under `permissions:` in the workflow." : '';
  return `${what}: ${firstLine(message)}.${permission}`;
}

/** Reading the pull request needs `pull-requests: read`; a refusal is not "the pull request is not open". */
function pullRequestLookupFailure(report: ForkReport, error: unknown): string {
  const what = `could not read pull request #${report.pullRequest} to confirm it is open at ${report.headSha}, so report ${report.profileId} was not posted`;
  const failure = httpFailure(error);
  if (failure?.status === 403) return `${what}: GitHub answered 403. The workflow's token needs \`pull-requests: read\`: add it under \`permissions:\` in the workflow.`;
  if (failure?.status === 404) return `${what}: GitHub answered 404: it does not exist, or the token cannot see it (it needs \`pull-requests: read\`).`;
  if (failure !== undefined) return `${what}: ${describeReportingFailure('reading the pull request', error)}`;
  return `${what}: ${firstLine(error instanceof Error ? error.message : String(error))}`;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
