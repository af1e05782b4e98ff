import type { Logger } from '../logging.js';
import { httpFailure, isRateLimited } from './retry-policy.js';

/**
 * A reporting failure is a warning, never the reason a gate fails (DESIGN "Reporting"): a fork's
 * read-only token, a missing permission or an outage that outlasted the retries all come back
 * as a sentence that says what went wrong and what to change.
 */
export type ReportOutcome<T> = { ok: true; value: T } | { ok: false; warning: string };

/** Runs one reporting call; a failure becomes a warning (logged too, when a logger is given). */
export async function tryReport<T>(label: string, call: () => Promise<T>, logger?: Logger): Promise<ReportOutcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const warning = describeReportingFailure(label, error);
    logger?.warn(warning);
    return { ok: false, warning };
  }
}

/** `label` names what was being done ("Posting the PR comment"). */
export function describeReportingFailure(label: string, error: unknown): string {
  const failure = httpFailure(error);
  // Not an HTTP failure: a bug, so the stack goes with it.
  if (failure === undefined) return `${label} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;

  const request = requestOf(error);
  const call = request === undefined ? 'the request' : `${request.method} ${request.path}`;
  const said = githubMessage(error) ?? failure.message;
  const answered = `GitHub answered ${failure.status}${said === '' ? '' : ` (${said})`} to ${call}`;
  if (isRateLimited(failure)) return `${label} failed: ${answered}: the API rate limit was reached and did not reset in time.`;
  if (failure.status === 401) return `${label} failed: ${answered}: the token was rejected; check the \`github-token\` input.`;
  if (failure.status === 403) {
    const permissions = request === undefined ? [] : permissionsFor(request.method, request.path);
    const needs = permissions.length === 0 ? 'a permission it lacks' : permissions.map((p) => `\`${p}\``).join(' and ');
    return (
      `${label} failed: ${answered}. The workflow's token needs ${needs}: add it under \`permissions:\` in the workflow. ` +
      'Pull requests from forks get a read-only token whatever the workflow asks for; the report is in the job summary instead.'
    );
  }
  if (failure.status === 404) return `${label} failed: ${answered}: it does not exist, or the token cannot see it.`;
  if (failure.status >= 500) return `${label} failed: ${answered}, even after retries: GitHub is having trouble; the report is in the job summary.`;
  return `${label} failed: ${answered}.`;
}

/** The permissions a GITHUB_TOKEN needs for a REST call tailgate makes (none known: empty). */
export function permissionsFor(method: string, path: string): string[] {
  const write = method.toUpperCase() !== 'GET';
  if (/\/check-runs(\/|$)/.test(path)) return [write ? 'checks: write' : 'checks: read'];
  // PR comments live in the issues API; DESIGN grants both permissions for them.
  if (/\/issues\//.test(path)) return write ? ['pull-requests: write', 'issues: write'] : ['pull-requests: read'];
  if (/\/commits\/[^/]+\/pulls$/.test(path)) return ['pull-requests: read'];
  return [];
}

function requestOf(error: unknown): { method: string; path: string } | undefined {
  const request = (error as { request?: { method?: unknown; url?: unknown } }).request;
  if (typeof request?.method !== 'string' || typeof request.url !== 'string') return undefined;
  let path = request.url;
  try {
    path = new URL(request.url).pathname;
  } catch {
    // Already a path.
  }
  return { method: request.method, path };
}

function githubMessage(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}
