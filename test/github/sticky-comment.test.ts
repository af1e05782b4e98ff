import { describe, expect, it } from 'vitest';
import { stickyCommentBody, stickyMarker, upsertStickyComment } from '../../src/github/sticky-comment.js';
import { FAKE_REPO, OCTOCAT } from '../helpers/fake-github.js';
import { useFakeGitHub } from '../helpers/use-fake-github.js';

const pr = { ...FAKE_REPO, issueNumber: 7 };

const github = useFakeGitHub();

describe('upsertStickyComment', () => {
  it('creates one comment, updates it in place, and does not resend an unchanged body', async () => {
    const first = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'run 1' });
    const second = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'run 2' });
    const third = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'run 2' });

    expect([first.action, second.action, third.action]).toEqual(['created', 'updated', 'unchanged']);
    expect(github.fake.comments).toHaveLength(1);
    expect(github.fake.comments[0]!.body).toBe(`${stickyMarker('checkout')}\nrun 2`);
    expect(second.url).toBe(first.url);
    expect(third.url).toBe(first.url);
    expect(first.url).toMatch(/^https:\/\/github\.com\/octo-org\/shop\/pull\/7#issuecomment-\d+$/);
    expect(github.fake.requestsTo('issues/create-comment')).toHaveLength(1);
    expect(github.fake.requestsTo('issues/update-comment')).toHaveLength(1);
  });

  it('gives another profile its own comment', async () => {
    await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'a' });
    const other = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout-v2', body: 'b' });
    await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'a2' });

    expect(other.action).toBe('created');
    expect(github.fake.comments.map((c) => c.body)).toEqual([`${stickyMarker('checkout')}\na2`, `${stickyMarker('checkout-v2')}\nb`]);
  });

  it('leaves a human’s comment alone even when it carries the marker', async () => {
    const pasted = github.fake.addComment({ ...pr, user: OCTOCAT, body: `${stickyMarker('checkout')}\nlook at this` });
    const result = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'report' });

    expect(result.action).toBe('created');
    expect(pasted.body).toBe(`${stickyMarker('checkout')}\nlook at this`);
    expect(github.fake.comments).toHaveLength(2);
  });

  it('matches by login when one is given', async () => {
    github.fake.addComment({ ...pr, user: OCTOCAT, body: stickyCommentBody('checkout', 'old') });
    const result = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'new', authorLogin: 'OctoCat' });

    expect(result.action).toBe('updated');
    expect(github.fake.comments).toHaveLength(1);
  });

  it('finds its comment behind more than 100 others', async () => {
    for (let i = 0; i < 230; i++) github.fake.addComment({ ...pr, user: OCTOCAT, body: `chatter ${i}` });
    github.fake.addComment({ ...pr, body: stickyCommentBody('checkout', 'old') });

    const result = await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: 'new' });

    expect(result.action).toBe('updated');
    expect(github.fake.comments).toHaveLength(231);
    expect(github.fake.requestsTo('issues/list-comments').map((r) => r.path)).toEqual([
      '/repos/octo-org/shop/issues/7/comments?per_page=100',
      '/repos/octo-org/shop/issues/7/comments?per_page=100&page=2',
      '/repos/octo-org/shop/issues/7/comments?per_page=100&page=3',
    ]);
  });

  it('keeps the body under GitHub’s 65,536-character limit', async () => {
    const huge = `${'| a | b |\n'.repeat(10_000)}`;
    await upsertStickyComment(github.octokit, { ...pr, profileId: 'checkout', body: huge });

    const body = github.fake.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(stickyMarker('checkout'))).toBe(true);
    expect(body).toMatch(/full report is in the job summary/);
  });
});

describe('stickyMarker', () => {
  it.each([
    ['checkout', '<!-- tailgate:profile=checkout -->'],
    ['a b', '<!-- tailgate:profile=a%20b -->'],
    ['x-->y', '<!-- tailgate:profile=x%2D%2D%3Ey -->'],
    ['<!--', '<!-- tailgate:profile=%3C!%2D%2D -->'],
  ])('escapes %j', (id, marker) => {
    expect(stickyMarker(id)).toBe(marker);
  });
});

describe('upsertStickyComment with create: false (comment: on-change, a passing run)', () => {
  it('adds no comment where there is none, but keeps an existing one current', async () => {
    const target = { ...FAKE_REPO, issueNumber: 9, profileId: 'checkout' };
    expect(await upsertStickyComment(github.octokit, { ...target, body: 'pass', create: false })).toEqual({ url: undefined, action: 'none' });
    expect(github.fake.comments).toHaveLength(0);
    await upsertStickyComment(github.octokit, { ...target, body: 'regression' });
    expect(await upsertStickyComment(github.octokit, { ...target, body: 'pass again', create: false })).toMatchObject({ action: 'updated' });
    expect(github.fake.comments).toHaveLength(1);
    expect(github.fake.comments[0]?.body).toContain('pass again');
  });
});
