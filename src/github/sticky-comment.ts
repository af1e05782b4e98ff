import type { GitHubClient } from './github-client.js';
import { COMMENT_MAX_CHARS, fitMarkdown } from './github-limits.js';

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  profileId: string;
  /** The markdown report, without the marker. */
  body: string;
  /**
   * Only comments by this login are ours. Without it, any Bot's comment with the marker is:
   * GITHUB_TOKEN writes as `github-actions[bot]`, an App token as `<app>[bot]`, and a human
   * who pastes the marker is never a Bot. With a personal token, pass its login.
   */
  authorLogin?: string;
  /** False: only update a comment that exists (a passing run keeps it current, adds none). */
  create?: boolean;
}

export interface StickyCommentResult {
  url: string | undefined;
  action: 'created' | 'updated' | 'unchanged' | 'none';
}

/** The hidden first line that names the profile a comment reports on. */
export function stickyMarker(profileId: string): string {
  // Percent-encoding keeps `-->` and `--` out of the HTML comment and stays one-to-one.
  const id = encodeURIComponent(profileId).replace(/-{2,}/g, (run) => '%2D'.repeat(run.length));
  return `<!-- tailgate:profile=${id} -->`;
}

/** Marker, then the report, cut to GitHub's comment limit if the caller's fitting fell short. */
export function stickyCommentBody(profileId: string, body: string): string {
  const marker = stickyMarker(profileId);
  return `${marker}\n${fitMarkdown(body, COMMENT_MAX_CHARS - marker.length - 1)}`;
}

/**
 * One comment per profile on the pull request, edited in place on every run. The oldest
 * matching comment wins; an unchanged body is not sent again.
 */
export async function upsertStickyComment(octokit: GitHubClient, target: StickyCommentTarget): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber } = target;
  const marker = stickyMarker(target.profileId);
  const body = stickyCommentBody(target.profileId, target.body);
  const isOurs = (user: { login: string; type: string } | null | undefined): boolean =>
    user != null && (target.authorLogin === undefined ? user.type === 'Bot' : user.login.toLowerCase() === target.authorLogin.toLowerCase());

  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of pages) {
    const existing = page.data.find((comment) => comment.body?.includes(marker) && isOurs(comment.user));
    if (existing === undefined) continue;
    if (existing.body === body) return { url: existing.html_url, action: 'unchanged' };
    const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { url: updated.data.html_url, action: 'updated' };
  }
  if (target.create === false) return { url: undefined, action: 'none' };
  const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { url: created.data.html_url, action: 'created' };
}
