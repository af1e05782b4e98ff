/**
 * A fake GitHub REST API on 127.0.0.1 (port 0) for the reporters: issue comments, check runs
 * and the pull requests of a commit, kept in memory. Every request is checked against GitHub's
 * OpenAPI description (operation, path and query parameters, JSON body) and so is every answer
 * the fake gives; anything that does not match lands in `violations`, which tests expect empty.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApi, type Operation } from './fake-github-openapi.js';
import {
  ACTIONS_BOT,
  checkRunShape,
  commentShape,
  errorShape,
  pullRequestShape,
  fullPullRequestShape,
  type FakeUser,
  type StoredAnnotation,
  type StoredCheckRun,
  type StoredComment,
  type StoredPullRequest,
} from './fake-github-shapes.js';
import { requestProblems, responseProblems } from './fake-github-validator.js';

export { ACTIONS_BOT, OCTOCAT, type FakeUser } from './fake-github-shapes.js';

export interface Violation {
  kind: 'route' | 'request' | 'response' | 'unimplemented';
  method: string;
  path: string;
  operationId?: string;
  problems: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  body?: unknown;
}

export interface InjectedFailure {
  /** How many of the next matching requests fail (Infinity: all of them). */
  times: number;
  status: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface FakeGitHub {
  url: string;
  violations: Violation[];
  requests: RecordedRequest[];
  comments: StoredComment[];
  checkRuns: StoredCheckRun[];
  pullRequests: StoredPullRequest[];
  /** Requests to one operation, by OpenAPI operationId ("issues/create-comment"). */
  requestsTo(operationId: string): RecordedRequest[];
  addComment(comment: { issueNumber: number; body: string; user?: FakeUser; owner?: string; repo?: string }): StoredComment;
  addPullRequest(pr: Partial<StoredPullRequest> & { number: number; headSha: string }): StoredPullRequest;
  /** The next `times` requests to `operationId` answer with this failure instead. */
  failNext(operationId: string, failure: InjectedFailure): void;
  /** Every write answers 403 "Resource not accessible by integration", as for a fork's token. */
  denyWrites(): void;
  close(): Promise<void>;
}

interface Exchange {
  operation: Operation;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const OWNER = 'octo-org';
const REPO = 'shop';

export async function startFakeGitHub(options: { actor?: FakeUser } = {}): Promise<FakeGitHub> {
  const actor = options.actor ?? ACTIONS_BOT;
  const spec = openApi();
  const violations: Violation[] = [];
  const requests: RecordedRequest[] = [];
  const comments: StoredComment[] = [];
  const checkRuns: StoredCheckRun[] = [];
  const pullRequests: StoredPullRequest[] = [];
  const failures = new Map<string, InjectedFailure>();
  let writesDenied = false;
  let nextId = 1;
  let apiUrl = '';
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = (): string => new Date((clock += 1000)).toISOString().replace('.000Z', 'Z');

  const handlers: Record<string, (x: Exchange) => Reply> = {
    'issues/list-comments': ({ pathParams: p, query }) => {
      const all = comments.filter((c) => c.owner === p.owner && c.repo === p.repo && c.issueNumber === Number(p.issue_number));
      return paginated(all.map((c) => commentShape(apiUrl, c)), query, pathOf(p, 'issues', p.issue_number, 'comments'));
    },
    'issues/create-comment': ({ pathParams: p, body }) => {
      const stored = addComment({ owner: p.owner, repo: p.repo, issueNumber: Number(p.issue_number), body: String(body.body), user: actor });
      const shape = commentShape(apiUrl, stored) as { url: string };
      return { status: 201, body: shape, headers: { location: shape.url } };
    },
    'issues/update-comment': ({ pathParams: p, body }) => {
      const stored = comments.find((c) => c.id === Number(p.comment_id) && c.owner === p.owner && c.repo === p.repo);
      if (stored === undefined) return notFound();
      stored.body = String(body.body);
      stored.updatedAt = now();
      return { status: 200, body: commentShape(apiUrl, stored) };
    },
    'checks/create': ({ pathParams: p, body }) => {
      const run: StoredCheckRun = {
        id: nextId++,
        owner: p.owner!,
        repo: p.repo!,
        name: String(body.name),
        headSha: String(body.head_sha),
        status: 'queued',
        conclusion: null,
        detailsUrl: null,
        startedAt: now(),
        completedAt: null,
        output: { title: null, summary: null, text: null },
        annotations: [],
      };
      checkRuns.push(run);
      applyCheckRunFields(run, body);
      return { status: 201, body: checkRunShape(apiUrl, run) };
    },
    'checks/update': ({ pathParams: p, body }) => {
      const run = checkRuns.find((r) => r.id === Number(p.check_run_id) && r.owner === p.owner && r.repo === p.repo);
      if (run === undefined) return notFound();
      applyCheckRunFields(run, body);
      return { status: 200, body: checkRunShape(apiUrl, run) };
    },
    'pulls/get': ({ pathParams: p }) => {
      const pr = pullRequests.find((candidate) => candidate.owner === p.owner && candidate.repo === p.repo && candidate.number === Number(p.pull_number));
      return pr === undefined ? notFound() : { status: 200, body: fullPullRequestShape(apiUrl, pr) };
    },
    'repos/list-pull-requests-associated-with-commit': ({ pathParams: p, query }) => {
      const found = pullRequests.filter((pr) => pr.owner === p.owner && pr.repo === p.repo && pr.commits.includes(p.commit_sha!));
      return paginated(found.map((pr) => pullRequestShape(apiUrl, pr)), query, pathOf(p, 'commits', p.commit_sha, 'pulls'));
    },
  };

  function applyCheckRunFields(run: StoredCheckRun, body: Record<string, unknown>): void {
    if (typeof body.name === 'string') run.name = body.name;
    if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
    if (typeof body.status === 'string') run.status = body.status;
    if (typeof body.conclusion === 'string') {
      run.conclusion = body.conclusion;
      run.status = 'completed';
      run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : now();
    }
    const output = body.output as { title?: string; summary?: string; text?: string; annotations?: StoredAnnotation[] } | undefined;
    if (output === undefined) return;
    run.output = { title: output.title ?? run.output.title, summary: output.summary ?? run.output.summary, text: output.text ?? run.output.text };
    // GitHub appends annotations on every update.
    run.annotations.push(...(output.annotations ?? []));
  }

  function addComment(c: { issueNumber: number; body: string; user?: FakeUser; owner?: string; repo?: string }): StoredComment {
    const stamp = now();
    const stored: StoredComment = {
      id: nextId++,
      owner: c.owner ?? OWNER,
      repo: c.repo ?? REPO,
      issueNumber: c.issueNumber,
      body: c.body,
      user: c.user ?? actor,
      createdAt: stamp,
      updatedAt: stamp,
    };
    comments.push(stored);
    return stored;
  }

  function paginated(items: unknown[], query: URLSearchParams, path: string): Reply {
    const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
    const page = Number(query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string): string => `<${apiUrl}${path}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    const body = items.slice((page - 1) * perPage, page * perPage);
    return { status: 200, body, headers: links.length === 0 ? {} : { link: links.join(', ') } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', apiUrl);
    let rawBody = '';
    for await (const chunk of req) rawBody += String(chunk);
    const record = (status: number, operationId?: string, body?: unknown): void => {
      const path = url.pathname + url.search;
      requests.push({ method, path, status, ...(operationId === undefined ? {} : { operationId }), ...(body === undefined ? {} : { body }) });
    };
    const violation = (kind: Violation['kind'], problems: string[], operationId?: string): void => {
      violations.push({ kind, method, path: url.pathname + url.search, problems, ...(operationId === undefined ? {} : { operationId }) });
    };

    const found = spec.match(method, url.pathname);
    if (found === undefined || 'allowed' in found) {
      violation('route', [found === undefined ? 'no GitHub operation has this path' : `the path allows ${found.allowed.join(', ')} only`]);
      record(404);
      return send(res, { status: 404, body: errorShape('Not Found', 404) });
    }
    const { operation, pathParams } = found;
    const id = operation.operationId;
    let parsed: unknown;
    try {
      parsed = rawBody === '' ? {} : JSON.parse(rawBody);
    } catch {
      parsed = undefined;
    }
    record(0, id, rawBody === '' ? undefined : (parsed ?? rawBody));
    const recorded = requests[requests.length - 1]!;
    const reply = (r: Reply): void => {
      recorded.status = r.status;
      const problems = responseProblems(operation, r.status, r.body);
      if (problems.length > 0) violation('response', problems, id);
      send(res, r);
    };

    if (req.headers.authorization === undefined) return reply({ status: 401, body: errorShape('Requires authentication', 401) });
    const query = Object.fromEntries(url.searchParams);
    const problems = requestProblems({ operation, pathParams, query, rawBody, contentType: req.headers['content-type'] });
    if (problems.length > 0) {
      violation('request', problems, id);
      return reply({ status: 422, body: errorShape(`Invalid request.\n\n${problems.join('\n')}`, 422) });
    }
    const failure = failures.get(id);
    if (failure !== undefined && failure.times > 0) {
      failure.times--;
      const message = failure.message ?? (failure.status >= 500 ? 'Server Error' : 'Forbidden');
      return reply({ status: failure.status, body: errorShape(message, failure.status), headers: failure.headers ?? {} });
    }
    if (writesDenied && method !== 'GET') return reply({ status: 403, body: errorShape('Resource not accessible by integration', 403) });
    const handler = handlers[id];
    if (handler === undefined) {
      violation('unimplemented', [`the fake does not implement ${id}`], id);
      return reply({ status: 404, body: errorShape('Not Found', 404) });
    }
    reply(handler({ operation, pathParams, query: url.searchParams, body: (parsed ?? {}) as Record<string, unknown> }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({ kind: 'unimplemented', method: req.method ?? '', path: req.url ?? '', problems: [`the fake crashed: ${String(error)}`] });
      send(res, { status: 500, body: errorShape('fake crashed', 500) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: apiUrl,
    violations,
    requests,
    comments,
    checkRuns,
    pullRequests,
    requestsTo: (operationId) => requests.filter((r) => r.operationId === operationId),
    addComment,
    addPullRequest(pr) {
      const stored: StoredPullRequest = { owner: OWNER, repo: REPO, state: 'open', headRef: `branch-${pr.number}`, commits: [pr.headSha], ...pr };
      pullRequests.push(stored);
      return stored;
    },
    failNext: (operationId, failure) => void failures.set(operationId, { ...failure }),
    denyWrites: () => void (writesDenied = true),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The repository the fake's helpers assume when a test names none. */
export const FAKE_REPO = { owner: OWNER, repo: REPO } as const;

function pathOf(p: Record<string, string>, ...rest: Array<string | undefined>): string {
  return `/repos/${p.owner}/${p.repo}/${rest.join('/')}`;
}

function notFound(): Reply {
  return { status: 404, body: errorShape('Not Found', 404) };
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(text);
}
