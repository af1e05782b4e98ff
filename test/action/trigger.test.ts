import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mode } from '../../src/action/inputs.js';
import { resolveTrigger, type Trigger, type TriggerContext } from '../../src/action/trigger.js';

const eventsDir = join(import.meta.dirname, '../fixtures/events');

type Payload = Record<string, unknown>;

function event(file: string): Payload {
  return JSON.parse(readFileSync(join(eventsDir, file), 'utf8')) as Payload;
}

/** A copy of `payload` with `change` applied: variants stay close to the recorded event. */
function variant(payload: Payload, change: (copy: any) => void): Payload {
  const copy = structuredClone(payload);
  change(copy);
  return copy;
}

const HEAD = 'a7c3e5f19b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e';
const MERGED = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const FORK_HEAD = 'c0ffee0123456789abcdef0123456789abcdef01';
/** GITHUB_SHA: for pull_request events it is the test merge commit, which tailgate must not report. */
const CONTEXT_SHA = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const PREVIEW = 'https://shop-api-git-feature-faster-search-acme.vercel.app';

interface Row {
  name: string;
  eventName: string;
  payload: Payload;
  ref: string;
  mode?: Mode;
  targetUrl?: string;
  defaultBranch?: string;
  expected: Trigger;
  /** Words the reason must contain. */
  reason?: string;
}

const push = event('push-default-branch.json');
const pushFeature = event('push-feature-branch.json');
const pullRequest = event('pull-request-same-repo.json');
const forkPullRequest = event('pull-request-fork.json');
const deployed = event('deployment-status-success.json');
const deploying = event('deployment-status-pending.json');
const dispatch = event('workflow-dispatch.json');
const schedule = event('schedule.json');
const forkRun = event('workflow-run-fork.json');

const rows: Row[] = [
  // mode auto
  {
    name: 'push to the default branch records the baseline',
    eventName: 'push',
    payload: push,
    ref: 'refs/heads/main',
    expected: { action: 'record-baseline', reason: '', sha: MERGED, isFork: false },
    reason: 'a push to the default branch main records the baseline',
  },
  {
    name: 'push to another branch is skipped',
    eventName: 'push',
    payload: pushFeature,
    ref: 'refs/heads/feature/faster-search',
    expected: { action: 'skip', reason: '', sha: HEAD, isFork: false },
    reason: 'the push to feature/faster-search is not to the default branch main',
  },
  {
    name: 'the default branch comes from the payload, whatever its name',
    eventName: 'push',
    payload: variant(push, (p) => {
      p.ref = 'refs/heads/trunk';
      p.repository.default_branch = 'trunk';
    }),
    ref: 'refs/heads/trunk',
    expected: { action: 'record-baseline', reason: '', sha: MERGED, isFork: false },
  },
  {
    name: 'a default branch passed in wins over the payload',
    eventName: 'push',
    payload: push,
    ref: 'refs/heads/main',
    defaultBranch: 'develop',
    expected: { action: 'skip', reason: '', sha: MERGED, isFork: false },
  },
  {
    name: 'a tag push is skipped',
    eventName: 'push',
    payload: variant(push, (p) => (p.ref = 'refs/tags/v1.2.0')),
    ref: 'refs/tags/v1.2.0',
    expected: { action: 'skip', reason: '', sha: MERGED, isFork: false },
  },
  {
    name: 'a push that deletes a branch is skipped',
    eventName: 'push',
    payload: variant(pushFeature, (p) => {
      p.deleted = true;
      p.after = '0000000000000000000000000000000000000000';
    }),
    ref: 'refs/heads/feature/faster-search',
    expected: { action: 'skip', reason: '', sha: '0000000000000000000000000000000000000000', isFork: false },
    reason: 'deleted feature/faster-search',
  },
  {
    name: 'pull request from the same repository compares its head',
    eventName: 'pull_request',
    payload: pullRequest,
    ref: 'refs/pull/42/merge',
    expected: { action: 'compare', reason: '', sha: HEAD, pullRequest: 42, isFork: false, baseRef: 'main' },
    reason: 'pull request #42 is compared with the baseline of main',
  },
  {
    name: 'pull request from a fork compares and says it is a fork',
    eventName: 'pull_request',
    payload: forkPullRequest,
    ref: 'refs/pull/43/merge',
    expected: { action: 'compare', reason: '', sha: FORK_HEAD, pullRequest: 43, isFork: true, baseRef: 'main' },
  },
  {
    name: 'pull request whose fork was deleted counts as a fork',
    eventName: 'pull_request',
    payload: variant(forkPullRequest, (p) => (p.pull_request.head.repo = null)),
    ref: 'refs/pull/43/merge',
    expected: { action: 'compare', reason: '', sha: FORK_HEAD, pullRequest: 43, isFork: true, baseRef: 'main' },
  },
  {
    name: 'pull_request_target compares like pull_request',
    eventName: 'pull_request_target',
    payload: forkPullRequest,
    ref: 'refs/heads/main',
    expected: { action: 'compare', reason: '', sha: FORK_HEAD, pullRequest: 43, isFork: true, baseRef: 'main' },
  },
  {
    name: 'pull request into another base branch compares with that branch',
    eventName: 'pull_request',
    payload: variant(pullRequest, (p) => (p.pull_request.base.ref = 'release/2.x')),
    ref: 'refs/pull/42/merge',
    expected: { action: 'compare', reason: '', sha: HEAD, pullRequest: 42, isFork: false, baseRef: 'release/2.x' },
  },
  {
    name: 'a closed pull request is skipped',
    eventName: 'pull_request',
    payload: variant(pullRequest, (p) => {
      p.action = 'closed';
      p.pull_request.state = 'closed';
    }),
    ref: 'refs/pull/42/merge',
    expected: { action: 'skip', reason: '', sha: HEAD, pullRequest: 42, isFork: false },
    reason: 'pull request #42 was closed',
  },
  {
    name: 'a successful deployment compares its preview, PR unknown',
    eventName: 'deployment_status',
    payload: deployed,
    ref: '',
    expected: { action: 'compare', reason: '', sha: HEAD, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
  },
  {
    name: 'a deployment without environment_url uses target_url',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => delete p.deployment_status.environment_url),
    ref: '',
    expected: { action: 'compare', reason: '', sha: HEAD, targetUrl: 'https://vercel.com/acme/shop-api/8XkJq2ZcNn', targetFromEvent: "the deployment's target_url", isFork: false },
  },
  {
    name: 'a deployment without any URL leaves the target to the config',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => {
      p.deployment_status.environment_url = '';
      delete p.deployment_status.target_url;
    }),
    ref: '',
    expected: { action: 'compare', reason: '', sha: HEAD, isFork: false },
  },
  {
    name: 'the target-url input wins over the deployment URL',
    eventName: 'deployment_status',
    payload: deployed,
    ref: '',
    targetUrl: 'https://staging.example.com',
    expected: { action: 'compare', reason: '', sha: HEAD, targetUrl: 'https://staging.example.com', isFork: false },
  },
  {
    name: 'a target-url input that repeats the deployment URL is still the event\'s',
    eventName: 'deployment_status',
    payload: deployed,
    ref: '',
    targetUrl: `${PREVIEW}/`,
    expected: { action: 'compare', reason: '', sha: HEAD, targetUrl: `${PREVIEW}/`, targetFromEvent: "the deployment's environment_url", isFork: false },
  },
  {
    name: 'a pending deployment is skipped',
    eventName: 'deployment_status',
    payload: deploying,
    ref: '',
    expected: { action: 'skip', reason: '', sha: HEAD, isFork: false },
    reason: 'the deployment is pending, not success',
  },
  {
    name: 'a failed deployment is skipped',
    eventName: 'deployment_status',
    payload: variant(deploying, (p) => (p.deployment_status.state = 'failure')),
    ref: '',
    expected: { action: 'skip', reason: '', sha: HEAD, isFork: false },
    reason: 'the deployment is failure, not success',
  },
  {
    name: 'a successful deployment of the default branch records the baseline',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => {
      p.deployment.ref = 'main';
      p.deployment.sha = MERGED;
    }),
    ref: 'refs/heads/main',
    expected: { action: 'record-baseline', reason: '', sha: MERGED, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
    reason: 'a deployment of the default branch main records the baseline',
  },
  {
    name: 'a successful deployment to production whose ref is a sha records the baseline',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => {
      p.deployment.ref = MERGED;
      p.deployment.sha = MERGED;
      p.deployment.environment = 'Production';
      p.deployment.production_environment = true;
    }),
    ref: '',
    expected: { action: 'record-baseline', reason: '', sha: MERGED, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
    reason: 'a deployment to the production environment Production records the baseline',
  },
  {
    name: 'a deployment whose ref is a sha, not to production, compares',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => {
      p.deployment.ref = MERGED;
      p.deployment.sha = MERGED;
    }),
    ref: '',
    expected: { action: 'compare', reason: '', sha: MERGED, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
  },
  {
    name: 'a production deployment of a branch other than the default one still compares',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => {
      p.deployment.production_environment = true;
    }),
    ref: '',
    expected: { action: 'compare', reason: '', sha: HEAD, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
  },
  {
    name: 'a manual run on the default branch records the baseline',
    eventName: 'workflow_dispatch',
    payload: dispatch,
    ref: 'refs/heads/main',
    expected: { action: 'record-baseline', reason: '', sha: CONTEXT_SHA, isFork: false },
    reason: 'a manual run on the default branch main records the baseline',
  },
  {
    name: 'a manual run on another branch compares with the default branch',
    eventName: 'workflow_dispatch',
    payload: variant(dispatch, (p) => (p.ref = 'refs/heads/feature/faster-search')),
    ref: 'refs/heads/feature/faster-search',
    expected: { action: 'compare', reason: '', sha: CONTEXT_SHA, isFork: false, baseRef: 'main' },
  },
  {
    name: 'a scheduled run records the baseline even though its payload names no repository',
    eventName: 'schedule',
    payload: schedule,
    ref: 'refs/heads/main',
    expected: { action: 'record-baseline', reason: '', sha: CONTEXT_SHA, isFork: false },
  },
  {
    name: 'workflow_run in mode auto is skipped with a hint',
    eventName: 'workflow_run',
    payload: forkRun,
    ref: 'refs/heads/main',
    expected: { action: 'skip', reason: '', sha: FORK_HEAD, isFork: true },
    reason: 'set mode: report',
  },
  {
    name: 'an event tailgate does not handle is skipped',
    eventName: 'issue_comment',
    payload: { action: 'created', repository: { default_branch: 'main' } },
    ref: 'refs/heads/main',
    expected: { action: 'skip', reason: '', sha: CONTEXT_SHA, isFork: false },
    reason: 'tailgate does nothing on issue_comment events in mode auto',
  },

  // mode compare
  {
    name: 'mode compare on a push to the default branch compares',
    eventName: 'push',
    payload: push,
    ref: 'refs/heads/main',
    mode: 'compare',
    expected: { action: 'compare', reason: '', sha: MERGED, isFork: false, baseRef: 'main' },
  },
  {
    name: 'mode compare still waits for a deployment to succeed',
    eventName: 'deployment_status',
    payload: deploying,
    ref: '',
    mode: 'compare',
    expected: { action: 'skip', reason: '', sha: HEAD, isFork: false },
  },
  {
    name: 'mode compare on a deployment of the default branch compares',
    eventName: 'deployment_status',
    payload: variant(deployed, (p) => (p.deployment.ref = 'main')),
    ref: 'refs/heads/main',
    mode: 'compare',
    expected: { action: 'compare', reason: '', sha: HEAD, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
  },

  // mode baseline
  {
    name: 'mode baseline records from a push to another branch',
    eventName: 'push',
    payload: pushFeature,
    ref: 'refs/heads/feature/faster-search',
    mode: 'baseline',
    expected: { action: 'record-baseline', reason: '', sha: HEAD, isFork: false },
    reason: 'branch feature/faster-search, not main',
  },
  {
    name: 'mode baseline never records from a pull request',
    eventName: 'pull_request',
    payload: pullRequest,
    ref: 'refs/pull/42/merge',
    mode: 'baseline',
    expected: { action: 'skip', reason: '', sha: HEAD, pullRequest: 42, isFork: false },
    reason: 'baselines are saved only from the default branch',
  },
  {
    name: 'mode baseline never records from pull_request_target',
    eventName: 'pull_request_target',
    payload: forkPullRequest,
    ref: 'refs/heads/main',
    mode: 'baseline',
    expected: { action: 'skip', reason: '', sha: FORK_HEAD, pullRequest: 43, isFork: true },
    reason: 'baselines are saved only from the default branch',
  },
  {
    name: 'mode baseline never records from a workflow_run of a pull request',
    eventName: 'workflow_run',
    payload: forkRun,
    ref: 'refs/heads/main',
    mode: 'baseline',
    expected: { action: 'skip', reason: '', sha: FORK_HEAD, isFork: true },
    reason: 'baselines are saved only from the default branch',
  },
  {
    name: 'mode baseline records a successful deployment',
    eventName: 'deployment_status',
    payload: deployed,
    ref: '',
    mode: 'baseline',
    expected: { action: 'record-baseline', reason: '', sha: HEAD, targetUrl: PREVIEW, targetFromEvent: "the deployment's environment_url", isFork: false },
  },

  // mode report
  {
    name: 'mode report on a fork run reports, PR number left to the artifact',
    eventName: 'workflow_run',
    payload: forkRun,
    ref: 'refs/heads/main',
    mode: 'report',
    expected: { action: 'report', reason: '', sha: FORK_HEAD, isFork: true },
  },
  {
    name: 'mode report reads the PR number when GitHub gives it',
    eventName: 'workflow_run',
    payload: variant(forkRun, (p) => {
      p.workflow_run.head_repository.full_name = 'acme/shop-api';
      p.workflow_run.pull_requests = [{ number: 42, head: { ref: 'feature/faster-search', sha: HEAD }, base: { ref: 'main', sha: MERGED } }];
    }),
    ref: 'refs/heads/main',
    mode: 'report',
    expected: { action: 'report', reason: '', sha: FORK_HEAD, pullRequest: 42, isFork: false },
  },
];

function contextOf(row: Row): TriggerContext {
  return {
    eventName: row.eventName,
    payload: row.payload,
    ref: row.ref,
    sha: CONTEXT_SHA,
    ...(row.defaultBranch !== undefined ? { defaultBranch: row.defaultBranch } : {}),
    inputs: { mode: row.mode ?? 'auto', targetUrl: row.targetUrl },
  };
}

describe('resolveTrigger', () => {
  it.each(rows.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const trigger = resolveTrigger(contextOf(row));
    expect({ ...trigger, reason: '' }).toStrictEqual(row.expected);
    expect(trigger.reason).not.toBe('');
    if (row.reason !== undefined) expect(trigger.reason).toContain(row.reason);
  });

  it('never records a baseline from a pull request, whatever the mode', () => {
    for (const mode of ['auto', 'compare', 'baseline', 'report'] as const) {
      for (const [eventName, payload] of [
        ['pull_request', pullRequest],
        ['pull_request', forkPullRequest],
        ['pull_request_target', forkPullRequest],
        ['workflow_run', forkRun],
      ] as const) {
        const trigger = resolveTrigger({ eventName, payload, ref: 'refs/heads/main', sha: CONTEXT_SHA, inputs: { mode, targetUrl: undefined } });
        expect(trigger.action, `${mode} on ${eventName}`).not.toBe('record-baseline');
      }
    }
  });

  it('refuses a pull_request payload without a head commit (a malformed event, not a user error)', () => {
    const payload = variant(pullRequest, (p) => delete p.pull_request.head.sha);
    expect(() => resolveTrigger({ eventName: 'pull_request', payload, ref: '', sha: CONTEXT_SHA, inputs: { mode: 'auto', targetUrl: undefined } })).toThrow(
      "the pull_request event's payload has no pull_request.head.sha",
    );
  });

  it('skips a push when the default branch cannot be known', () => {
    const payload = variant(push, (p) => delete p.repository);
    const trigger = resolveTrigger({ eventName: 'push', payload, ref: 'refs/heads/main', sha: CONTEXT_SHA, inputs: { mode: 'auto', targetUrl: undefined } });
    expect(trigger.action).toBe('skip');
    expect(trigger.reason).toContain('the default branch is unknown');
  });
});
