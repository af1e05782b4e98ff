/**
 * Response objects shaped like GitHub's: the smallest instance the OpenAPI schema accepts
 * (required fields only, nulls where allowed), with the fields that matter laid over it.
 */
import { openApi, type Schema } from './fake-github-openapi.js';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

/** What GITHUB_TOKEN writes as. */
export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const OCTOCAT: FakeUser = { login: 'octocat', id: 583231, type: 'User' };

export const HTML_BASE = 'https://github.com';
const STAMP = '2026-01-01T00:00:00Z';

export function userShape(apiUrl: string, user: FakeUser): unknown {
  const url = `${apiUrl}/users/${encodeURIComponent(user.login)}`;
  return shaped('simple-user', {
    ...user,
    node_id: `U_${user.id}`,
    url,
    html_url: `${HTML_BASE}/${user.login.replace('[bot]', '')}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}`,
    site_admin: false,
    user_view_type: 'public',
  });
}

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export function commentShape(apiUrl: string, c: StoredComment): unknown {
  return shaped('issue-comment', {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${apiUrl}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `${HTML_BASE}/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${apiUrl}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: userShape(apiUrl, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'OWNER',
  });
}

export interface StoredAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  title?: string;
}

export interface StoredCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: StoredAnnotation[];
}

export function checkRunShape(apiUrl: string, run: StoredCheckRun): unknown {
  const url = `${apiUrl}/repos/${run.owner}/${run.repo}/check-runs/${run.id}`;
  return shaped('check-run', {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: run.headSha,
    name: run.name,
    url,
    html_url: `${HTML_BASE}/${run.owner}/${run.repo}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: run.annotations.length, annotations_url: `${url}/annotations` },
    check_suite: { id: 1 },
    pull_requests: [],
  });
}

export interface StoredPullRequest {
  owner: string;
  repo: string;
  number: number;
  state: 'open' | 'closed';
  headSha: string;
  headRef: string;
  /** Commits the PR contains (its head included). */
  commits: string[];
}

export function pullRequestShape(apiUrl: string, pr: StoredPullRequest): unknown {
  const repoUrl = `${apiUrl}/repos/${pr.owner}/${pr.repo}`;
  const repository = shaped('repository', { name: pr.repo, full_name: `${pr.owner}/${pr.repo}`, url: repoUrl, default_branch: 'main' });
  return shaped('pull-request-simple', {
    id: 1000 + pr.number,
    number: pr.number,
    state: pr.state,
    title: `PR ${pr.number}`,
    user: userShape(apiUrl, OCTOCAT),
    url: `${repoUrl}/pulls/${pr.number}`,
    html_url: `${HTML_BASE}/${pr.owner}/${pr.repo}/pull/${pr.number}`,
    head: { label: `${pr.owner}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, repo: repository, user: null },
    base: { label: `${pr.owner}:main`, ref: 'main', sha: '0'.repeat(40), repo: repository, user: null },
    created_at: STAMP,
    updated_at: STAMP,
    author_association: 'OWNER',
  });
}

/** The full pull request (`GET /repos/{owner}/{repo}/pulls/{number}`): the simple shape and its counts. */
export function fullPullRequestShape(apiUrl: string, pr: StoredPullRequest): unknown {
  const simple = pullRequestShape(apiUrl, pr) as Record<string, unknown> & { head: object; base: object };
  const owner = userShape(apiUrl, OCTOCAT);
  return shaped('pull-request', {
    ...simple,
    head: { ...simple.head, user: owner },
    base: { ...simple.base, user: owner },
    merged: false,
    mergeable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits.length,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  });
}

export function errorShape(message: string, status: number): { message: string; documentation_url: string; status: string } {
  return { message, documentation_url: 'https://docs.github.com/rest', status: String(status) };
}

const samples = new Map<string, unknown>();

/** The component's minimal instance with `fields` laid over it (objects merge, the rest replace). */
function shaped(component: string, fields: Record<string, unknown>): unknown {
  if (!samples.has(component)) {
    const schema = openApi().componentSchema(component);
    samples.set(component, sample(schema, schema.$defs as Record<string, Schema>, 0));
  }
  return overlay(structuredClone(samples.get(component)), fields);
}

function sample(schema: Schema, defs: Record<string, Schema>, depth: number): unknown {
  if (typeof schema.$ref === 'string') return sample(defs[schema.$ref.replace('#/$defs/', '')] ?? {}, defs, depth + 1);
  if (depth > 12) return null;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives !== undefined) {
    if (alternatives.some((a) => a.type === 'null')) return null;
    return sample(alternatives[0] ?? {}, defs, depth + 1);
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as Schema[]).map((s) => sample(s, defs, depth + 1)));
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type];
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, sample(properties[name] ?? {}, defs, depth + 1)]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'date-time' ? STAMP : schema.format === 'uri' ? 'https://api.github.com/' : '';
    default:
      return hasProperties(schema) ? sample({ ...schema, type: 'object' }, defs, depth) : null;
  }
}

function hasProperties(schema: Schema): boolean {
  return typeof schema.properties === 'object';
}

function overlay(base: unknown, fields: Record<string, unknown>): unknown {
  const out = (typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    const plain = typeof value === 'object' && value !== null && !Array.isArray(value);
    out[key] = plain && typeof out[key] === 'object' && out[key] !== null ? overlay(out[key], value as Record<string, unknown>) : value;
  }
  return out;
}
