import type { GitHubClient } from './github-client.js';
import {
  ANNOTATION_MESSAGE_MAX_CHARS,
  ANNOTATION_TITLE_MAX_CHARS,
  CHECK_ANNOTATIONS_PER_REQUEST,
  CHECK_SUMMARY_MAX_CHARS,
  clip,
  fitMarkdown,
} from './github-limits.js';

export interface CheckAnnotation {
  /** Repository-relative path, e.g. the config file. */
  path: string;
  startLine: number;
  endLine: number;
  level: 'failure' | 'warning' | 'notice';
  message: string;
  title?: string;
}

export interface CheckRunReport {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: readonly CheckAnnotation[];
  /** Where "Details" leads, e.g. the workflow run. */
  detailsUrl?: string;
}

export interface PublishedCheckRun {
  id: number;
  url: string;
}

/**
 * A completed check run. GitHub takes 50 annotations per request, so the first 50 go with the
 * create and the rest follow in updates, which append.
 */
export async function publishCheckRun(octokit: GitHubClient, report: CheckRunReport): Promise<PublishedCheckRun> {
  const { owner, repo } = report;
  const summary = fitMarkdown(report.summary, CHECK_SUMMARY_MAX_CHARS);
  const batches = inBatches(report.annotations.map(toGitHubAnnotation), CHECK_ANNOTATIONS_PER_REQUEST);
  const output = (index: number) => ({ title: report.title, summary, annotations: batches[index] ?? [] });

  const created = await octokit.rest.checks.create({
    owner,
    repo,
    name: report.name,
    head_sha: report.headSha,
    status: 'completed',
    conclusion: report.conclusion,
    completed_at: new Date().toISOString(),
    ...(report.detailsUrl === undefined ? {} : { details_url: report.detailsUrl }),
    output: output(0),
  });
  for (let index = 1; index < batches.length; index++) {
    await octokit.rest.checks.update({ owner, repo, check_run_id: created.data.id, output: output(index) });
  }
  return { id: created.data.id, url: created.data.html_url ?? created.data.url };
}

function toGitHubAnnotation(annotation: CheckAnnotation) {
  return {
    path: annotation.path,
    start_line: Math.max(1, Math.trunc(annotation.startLine)),
    end_line: Math.max(1, Math.trunc(annotation.endLine), Math.trunc(annotation.startLine)),
    annotation_level: annotation.level,
    message: clip(annotation.message, ANNOTATION_MESSAGE_MAX_CHARS),
    ...(annotation.title === undefined ? {} : { title: clip(annotation.title, ANNOTATION_TITLE_MAX_CHARS) }),
  };
}

function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
