import type { Comparison, Conclusion } from '../compare/comparison-types.js';
import { publishCheckRun, type CheckAnnotation } from '../github/check-run.js';
import type { GitHubClient } from '../github/github-client.js';
import { findPullRequestForCommit } from '../github/pull-request-lookup.js';
import { tryReport } from '../github/reporting-errors.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { Logger } from '../logging.js';
import { formatObserved } from '../report/number-format.js';
import type { ActionInputs } from './inputs.js';
import { repositoryPath } from './annotation-path.js';
import type { RunnerEnv } from './runner-env.js';

export interface PublishInput {
  inputs: Pick<ActionInputs, 'githubToken' | 'check' | 'comment'>;
  /** The commit the check run goes on, and the PR the comment goes on when already known. */
  target: { sha: string; pullRequest?: number };
  comparison: Comparison;
  markdown: string;
  profileId: string;
  env: Pick<RunnerEnv, 'repository' | 'runUrl' | 'workspace'>;
  github: (token: string) => GitHubClient;
  logger: Logger;
  /**
   * A report this job did not measure (a fork's, posted by mode: report): the check's conclusion
   * decided here instead of the comparison's, and words after the check's title saying whose
   * verdict it is.
   */
  reported?: { conclusion: Conclusion; titleNote: string };
}

/**
 * The sticky PR comment and the check run. Each is best effort: a missing permission, a fork's
 * read-only token or an outage is a warning, never what fails or passes the gate (the job
 * summary always has the full report).
 */
export async function publishToGitHub({ inputs, target, comparison, markdown, profileId, env, github, logger, reported }: PublishInput): Promise<{ commentUrl?: string }> {
  if (!inputs.githubToken || !env.repository) {
    logger.warn('no github-token or GITHUB_REPOSITORY: the report is in the job summary only');
    return {};
  }
  const { owner, repo } = env.repository;
  const octokit = github(inputs.githubToken);
  const result: { commentUrl?: string } = {};

  if (inputs.check) {
    const checked = await tryReport(
      'check run',
      () =>
        publishCheckRun(octokit, {
          owner,
          repo,
          headSha: target.sha,
          name: `tailgate: ${profileId}`,
          conclusion: reported?.conclusion ?? comparison.conclusion,
          title: reported ? `${headline(comparison)} ${reported.titleNote}` : headline(comparison),
          summary: markdown,
          annotations: thresholdAnnotations(comparison, env.workspace),
          ...(env.runUrl ? { detailsUrl: env.runUrl } : {}),
        }),
    );
    if (!checked.ok) logger.warn(checked.warning);
  }

  if (inputs.comment === 'never') return result;
  // on-change: a passing run posts no new comment, but keeps an earlier one (of a failing push) current.
  const create = !(inputs.comment === 'on-change' && comparison.verdict === 'pass' && comparison.conclusion === 'success');
  let pullRequest = target.pullRequest;
  if (pullRequest === undefined) {
    const found = await tryReport('pull request lookup', () => findPullRequestForCommit(octokit, { owner, repo, sha: target.sha }));
    if (found.ok) pullRequest = found.value?.number;
    else logger.warn(found.warning);
  }
  if (pullRequest === undefined) {
    logger.info('no open pull request for this commit: no comment');
    return result;
  }
  const issueNumber = pullRequest;
  const commented = await tryReport('PR comment', () => upsertStickyComment(octokit, { owner, repo, issueNumber, profileId, body: markdown, create }));
  if (commented.ok) {
    logger.info(commented.value.url ? `PR comment ${commented.value.action}: ${commented.value.url}` : 'no PR comment yet, and this run passed (comment: on-change)');
    if (commented.value.url) result.commentUrl = commented.value.url;
  } else logger.warn(commented.warning);
  return result;
}

function headline(comparison: Comparison): string {
  const broken = comparison.thresholds.filter((t) => t.status === 'broken').length;
  const verdict = comparison.verdict.replace('-', ' ');
  return broken > 0 ? `${verdict}, ${broken} threshold(s) broken` : verdict;
}

/** Broken thresholds point at their line in the config. */
function thresholdAnnotations(comparison: Comparison, workspace: string | undefined): CheckAnnotation[] {
  return comparison.thresholds
    .filter((t) => t.status === 'broken' && t.location)
    .map((t) => ({
      path: repositoryPath(t.location?.file ?? '', workspace),
      startLine: t.location?.line ?? 1,
      endLine: t.location?.line ?? 1,
      level: 'failure' as const,
      title: `threshold broken: ${t.metric}`,
      message: `${t.expression} was broken: observed ${t.observed === null ? '-' : formatObserved(t.unit, t.observed)}`,
    }));
}
