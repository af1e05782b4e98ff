import { describe, expect, it } from 'vitest';
import { publishCheckRun } from '../../src/github/check-run.js';
import { describeReportingFailure, permissionsFor, tryReport } from '../../src/github/reporting-errors.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { recordingLogger } from '../../src/logging.js';
import { FAKE_REPO } from '../helpers/fake-github.js';
import { useFakeGitHub } from '../helpers/use-fake-github.js';

const comment = { ...FAKE_REPO, issueNumber: 7, profileId: 'checkout', body: 'report' };
const check = { ...FAKE_REPO, headSha: 'a'.repeat(40), name: 'tailgate', conclusion: 'success' as const, title: 't', summary: 's', annotations: [] };

const github = useFakeGitHub();

describe('tryReport', () => {
  it('passes the value through when the call works', async () => {
    expect(await tryReport('Posting the PR comment', () => upsertStickyComment(github.octokit, comment))).toMatchObject({ ok: true, value: { action: 'created' } });
  });

  it('turns a fork’s read-only 403 into a warning naming the missing permission', async () => {
    github.fake.denyWrites();
    const logger = recordingLogger();

    const commented = await tryReport('Posting the PR comment', () => upsertStickyComment(github.octokit, comment), logger);
    const checked = await tryReport('Creating the check run', () => publishCheckRun(github.octokit, check));

    expect(commented).toEqual({
      ok: false,
      warning:
        'Posting the PR comment failed: GitHub answered 403 (Resource not accessible by integration) to POST /repos/octo-org/shop/issues/7/comments. ' +
        "The workflow's token needs `pull-requests: write` and `issues: write`: add it under `permissions:` in the workflow. " +
        'Pull requests from forks get a read-only token whatever the workflow asks for; the report is in the job summary instead.',
    });
    expect(checked.ok === false && checked.warning).toMatch(/needs `checks: write`/);
    expect(logger.lines).toEqual([`warning: ${commented.ok === false ? commented.warning : ''}`]);
  });

  it('turns a 404 and an outage that outlasts the retries into warnings', async () => {
    github.fake.failNext('issues/list-comments', { times: 1, status: 404, message: 'Not Found' });
    const missing = await tryReport('Posting the PR comment', () => upsertStickyComment(github.octokit, comment));
    github.fake.failNext('checks/create', { times: Infinity, status: 502 });
    const outage = await tryReport('Creating the check run', () => publishCheckRun(github.octokit, check));

    expect(missing.ok === false && missing.warning).toBe(
      'Posting the PR comment failed: GitHub answered 404 (Not Found) to GET /repos/octo-org/shop/issues/7/comments: it does not exist, or the token cannot see it.',
    );
    expect(outage.ok === false && outage.warning).toMatch(
      /^Creating the check run failed: GitHub answered 502 \(Server Error\) to POST \/repos\/octo-org\/shop\/check-runs, even after retries/,
    );
  });

  it('keeps the stack of a failure that is a bug, and copes with thrown strings', async () => {
    const bug = await tryReport('Rendering', () => Promise.reject(new TypeError('x is undefined')));
    const text = await tryReport('Rendering', () => Promise.reject('plain string'));

    expect(bug.ok === false && bug.warning).toMatch(/^Rendering failed: TypeError: x is undefined\n\s+at /);
    expect(text).toEqual({ ok: false, warning: 'Rendering failed: plain string' });
  });
});

describe('describeReportingFailure', () => {
  it('says a rate limit is a rate limit, not a permission', () => {
    const error = Object.assign(new Error('API rate limit exceeded'), {
      status: 403,
      request: { method: 'GET', url: 'https://api.github.com/repos/o/r/commits/abc/pulls' },
      response: { headers: { 'x-ratelimit-remaining': '0' }, data: { message: 'API rate limit exceeded' } },
    });
    expect(describeReportingFailure('Finding the PR', error)).toBe(
      'Finding the PR failed: GitHub answered 403 (API rate limit exceeded) to GET /repos/o/r/commits/abc/pulls: the API rate limit was reached and did not reset in time.',
    );
  });
});

describe('permissionsFor', () => {
  it.each([
    ['POST', '/repos/o/r/check-runs', ['checks: write']],
    ['PATCH', '/repos/o/r/check-runs/5', ['checks: write']],
    ['POST', '/repos/o/r/issues/7/comments', ['pull-requests: write', 'issues: write']],
    ['PATCH', '/repos/o/r/issues/comments/9', ['pull-requests: write', 'issues: write']],
    ['GET', '/repos/o/r/issues/7/comments', ['pull-requests: read']],
    ['GET', '/repos/o/r/commits/abc/pulls', ['pull-requests: read']],
    ['GET', '/user', []],
  ])('%s %s needs %j', (method, path, permissions) => {
    expect(permissionsFor(method, path)).toEqual(permissions);
  });
});
