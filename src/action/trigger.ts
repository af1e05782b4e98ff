import type { ActionInputs } from './inputs.js';

/**
 * What this run of the Action does, decided from the event that started the workflow. Pure: the
 * entry passes `github.context`'s fields, tests pass recorded payloads.
 *
 * mode auto:
 *   push to the default branch                  -> record-baseline
 *   push elsewhere (or a deleted branch, a tag) -> skip
 *   pull_request, pull_request_target           -> compare (skip when the PR was closed)
 *   deployment_status                           -> compare once the deployment succeeded; a
 *                                                  deployment of the default branch records the baseline,
 *                                                  as does one to a production environment whose ref is a sha
 *   workflow_dispatch, schedule                 -> record-baseline on the default branch, else compare
 *   anything else                               -> skip
 * mode compare | baseline | report force the action, except that a baseline is never recorded
 * from a pull request's event, and nothing is measured before a deployment succeeded.
 */

export type TriggerAction = 'record-baseline' | 'compare' | 'report' | 'skip';

export interface TriggerContext {
  /** `github.context.eventName`. */
  eventName: string;
  /** `github.context.payload`: the webhook payload of the event. */
  payload: unknown;
  /** `github.context.ref` (GITHUB_REF), e.g. `refs/heads/main`. */
  ref: string;
  /** `github.context.sha` (GITHUB_SHA): used when the payload names no better commit. */
  sha: string;
  /** The repository's default branch, when known otherwise; else read from the payload. */
  defaultBranch?: string;
  inputs: Pick<ActionInputs, 'mode' | 'targetUrl'>;
}

export interface Trigger {
  action: TriggerAction;
  /** One sentence for the log: why this action (or why nothing). */
  reason: string;
  /** The commit measured or reported: a PR's head, a deployment's commit, a push's `after`. */
  sha: string;
  /** Known for pull_request events (and workflow_run ones that carry it); a deployment's PR is looked up by the caller. */
  pullRequest?: number;
  /** The `target-url` input, else a deployment's URL; undefined means the config's target. */
  targetUrl?: string;
  /**
   * Set when `targetUrl` is the URL the event names (`the deployment's environment_url`), which a
   * deployer, not the workflow, chose: it is loaded only when `allowed-hosts` or the profile's
   * target allows its origin. A `target-url` input equal to that URL counts as the event's.
   */
  targetFromEvent?: string;
  /** The PR's head lives in another repository: its token cannot comment or create checks. */
  isFork: boolean;
  /** The branch whose baseline a comparison uses, when the event tells it. */
  baseRef?: string;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
const SKIPPED_PULL_REQUEST_ACTIONS = new Set(['closed']);

/** What the event says, whatever the mode. */
interface EventFacts {
  sha: string;
  /** The branch the run is about, when the event names one (a deployment's ref may be a sha). */
  branch?: string;
  /** Undefined when the default branch is unknown. */
  onDefaultBranch: boolean | undefined;
  /** Started by a pull request, directly or through workflow_run: never records a baseline. */
  fromPullRequest: boolean;
  pullRequest?: number;
  pullRequestAction?: string;
  isFork: boolean;
  baseRef?: string;
  /** `production`: the deployer marked its environment as production (production_environment). */
  deployment?: { state: string; url?: string; urlField?: string; environment?: string; production: boolean };
  deletedBranch?: boolean;
}

interface Decision {
  action: TriggerAction;
  reason: string;
  baseRef?: string;
}

export function resolveTrigger(context: TriggerContext): Trigger {
  const defaultBranch = context.defaultBranch ?? text(at(context.payload, 'repository', 'default_branch'));
  const facts = readEvent(context, defaultBranch);
  const decision = decide(context, facts, defaultBranch);
  const measures = decision.action === 'compare' || decision.action === 'record-baseline';
  const targetUrl = measures ? (context.inputs.targetUrl ?? facts.deployment?.url) : undefined;
  const eventUrl = facts.deployment?.url;
  const fromEvent = targetUrl !== undefined && eventUrl !== undefined && sameUrl(targetUrl, eventUrl) ? `the deployment's ${facts.deployment?.urlField}` : undefined;
  return {
    action: decision.action,
    reason: decision.reason,
    sha: facts.sha,
    ...(facts.pullRequest !== undefined ? { pullRequest: facts.pullRequest } : {}),
    ...(targetUrl !== undefined ? { targetUrl } : {}),
    ...(fromEvent !== undefined ? { targetFromEvent: fromEvent } : {}),
    isFork: facts.isFork,
    ...(decision.baseRef !== undefined ? { baseRef: decision.baseRef } : {}),
  };
}

function decide(context: TriggerContext, facts: EventFacts, defaultBranch: string | undefined): Decision {
  const { eventName } = context;
  const mode = context.inputs.mode;
  const defaultName = defaultBranch ?? 'the default branch';
  const theDefaultBranch = defaultBranch === undefined ? 'the default branch' : `the default branch ${defaultBranch}`;
  const comparedWith = facts.baseRef ?? (facts.fromPullRequest || facts.deployment ? undefined : defaultBranch);
  const compare = (reason: string): Decision => ({ action: 'compare', reason, ...(comparedWith !== undefined ? { baseRef: comparedWith } : {}) });
  const skip = (reason: string): Decision => ({ action: 'skip', reason });
  const record = (reason: string): Decision => ({ action: 'record-baseline', reason });

  if (mode === 'report') return { action: 'report', reason: `mode: report posts the report of an earlier run (${eventName} event)` };
  if (facts.deployment && facts.deployment.state !== 'success') {
    return skip(`the deployment is ${facts.deployment.state}, not success: there is nothing to measure yet`);
  }
  if (mode === 'compare') return compare(`mode: compare compares this run with the baseline (${eventName} event)`);
  if (mode === 'baseline') {
    if (facts.fromPullRequest) {
      return skip(`baselines are saved only from the default branch, never from a pull request's ${eventName} event; use mode: compare here`);
    }
    const where = facts.onDefaultBranch === false && facts.branch ? ` (branch ${facts.branch}, not ${defaultName})` : '';
    return record(`mode: baseline records this run as the baseline${where}`);
  }

  switch (eventName) {
    case 'push': {
      if (facts.deletedBranch) return skip(`the push deleted ${facts.branch ?? context.ref}: there is nothing to measure`);
      if (facts.onDefaultBranch === undefined) return skip('the default branch is unknown (the push payload has no repository.default_branch), so this push can be neither recorded nor compared');
      if (facts.onDefaultBranch) return record(`a push to ${theDefaultBranch} records the baseline`);
      return skip(`the push to ${facts.branch ?? context.ref} is not to ${theDefaultBranch}: pushes to ${defaultName} record the baseline and pull requests are compared`);
    }
    case 'pull_request':
    case 'pull_request_target': {
      if (facts.pullRequestAction !== undefined && SKIPPED_PULL_REQUEST_ACTIONS.has(facts.pullRequestAction)) {
        return skip(`pull request #${facts.pullRequest} was ${facts.pullRequestAction}: there is nothing to compare`);
      }
      return compare(`pull request #${facts.pullRequest} is compared with the baseline of ${facts.baseRef ?? defaultName}`);
    }
    case 'deployment_status': {
      if (facts.onDefaultBranch) return record(`a deployment of ${theDefaultBranch} records the baseline`);
      // Deployers that name the commit, not the branch, in deployment.ref: production is the default branch's.
      if (facts.branch === undefined && facts.deployment?.production) {
        return record(`a deployment to the production environment${facts.deployment.environment ? ` ${facts.deployment.environment}` : ''} records the baseline`);
      }
      return compare(`the deployment of ${facts.sha.slice(0, 7)} succeeded: its pull request is compared with the baseline`);
    }
    case 'workflow_dispatch':
    case 'schedule': {
      const run = eventName === 'schedule' ? 'a scheduled run' : 'a manual run';
      if (facts.onDefaultBranch === undefined) return skip(`the default branch is unknown (the ${eventName} payload has no repository.default_branch), so ${run} can be neither recorded nor compared`);
      if (facts.onDefaultBranch) return record(`${run} on ${theDefaultBranch} records the baseline`);
      return compare(`${run} on ${facts.branch ?? context.ref}, not on ${theDefaultBranch}, is compared with the baseline of ${defaultName}`);
    }
    case 'workflow_run':
      return skip('a workflow_run event posts the report of a fork\'s run: set mode: report in that workflow');
    default:
      return skip(`tailgate does nothing on ${eventName} events in mode auto (it records on pushes to ${defaultName} and compares pull requests and deployments); set mode: compare or baseline to force it`);
  }
}

function readEvent(context: TriggerContext, defaultBranch: string | undefined): EventFacts {
  const { eventName, payload } = context;
  const isDefault = (branch: string | undefined): boolean | undefined =>
    branch === undefined || defaultBranch === undefined ? undefined : branch === defaultBranch;
  const refBranch = branchOf(context.ref);

  if (eventName === 'push') {
    const branch = branchOf(text(at(payload, 'ref')) ?? context.ref);
    return {
      sha: text(at(payload, 'after')) ?? context.sha,
      ...(branch !== undefined ? { branch } : {}),
      // A tag (refs/tags/...) is on no branch, so it is not the default branch.
      onDefaultBranch: branch === undefined ? false : isDefault(branch),
      fromPullRequest: false,
      isFork: false,
      deletedBranch: at(payload, 'deleted') === true,
    };
  }
  if (PULL_REQUEST_EVENTS.has(eventName)) {
    const headRepo = text(at(payload, 'pull_request', 'head', 'repo', 'full_name'));
    const baseRepo = text(at(payload, 'pull_request', 'base', 'repo', 'full_name'));
    const action = text(at(payload, 'action'));
    return {
      sha: required(eventName, payload, 'pull_request', 'head', 'sha'),
      branch: required(eventName, payload, 'pull_request', 'head', 'ref'),
      onDefaultBranch: false,
      fromPullRequest: true,
      pullRequest: requiredNumber(eventName, payload, 'pull_request', 'number'),
      ...(action !== undefined ? { pullRequestAction: action } : {}),
      // A deleted fork leaves head.repo null: treat it as a fork (its token is read-only).
      isFork: headRepo === undefined || headRepo !== baseRepo,
      baseRef: required(eventName, payload, 'pull_request', 'base', 'ref'),
    };
  }
  if (eventName === 'deployment_status') {
    const branch = branchOf(text(at(payload, 'deployment', 'ref')) ?? '');
    const urls = (['environment_url', 'target_url'] as const).map((field) => ({ field, url: text(at(payload, 'deployment_status', field)) }));
    const found = urls.find((candidate) => candidate.url !== undefined && /^https?:\/\//i.test(candidate.url));
    const url = found?.url;
    const environment = text(at(payload, 'deployment', 'environment'));
    return {
      sha: required(eventName, payload, 'deployment', 'sha'),
      ...(branch !== undefined ? { branch } : {}),
      onDefaultBranch: isDefault(branch),
      fromPullRequest: false,
      isFork: false,
      deployment: {
        state: required(eventName, payload, 'deployment_status', 'state'),
        ...(url !== undefined ? { url, urlField: found?.field } : {}),
        ...(environment !== undefined ? { environment } : {}),
        production: at(payload, 'deployment', 'production_environment') === true,
      },
    };
  }
  if (eventName === 'workflow_run') {
    const headRepo = text(at(payload, 'workflow_run', 'head_repository', 'full_name'));
    const repo = text(at(payload, 'workflow_run', 'repository', 'full_name')) ?? text(at(payload, 'repository', 'full_name'));
    const pullRequest = at(payload, 'workflow_run', 'pull_requests', '0', 'number');
    const baseRef = text(at(payload, 'workflow_run', 'pull_requests', '0', 'base', 'ref'));
    const branch = text(at(payload, 'workflow_run', 'head_branch'));
    return {
      sha: text(at(payload, 'workflow_run', 'head_sha')) ?? context.sha,
      ...(branch !== undefined ? { branch } : {}),
      onDefaultBranch: isDefault(branch),
      fromPullRequest: PULL_REQUEST_EVENTS.has(text(at(payload, 'workflow_run', 'event')) ?? ''),
      // GitHub leaves pull_requests empty for a fork's run: the report artifact must name the PR.
      ...(typeof pullRequest === 'number' ? { pullRequest } : {}),
      isFork: headRepo !== undefined && repo !== undefined && headRepo !== repo,
      ...(baseRef !== undefined ? { baseRef } : {}),
    };
  }
  return {
    sha: context.sha,
    ...(refBranch !== undefined ? { branch: refBranch } : {}),
    // Scheduled runs always run on the default branch, and their payload may not name it.
    onDefaultBranch: eventName === 'schedule' && defaultBranch === undefined ? true : isDefault(refBranch),
    fromPullRequest: false,
    isFork: false,
  };
}

/** The same URL, whatever the case of its scheme and host or a trailing slash. */
function sameUrl(a: string, b: string): boolean {
  const normal = (text: string): string => {
    const url = URL.parse(text.trim());
    return url === null ? text.trim() : url.href.replace(/\/+$/, '');
  };
  return normal(a) === normal(b);
}

/** `refs/heads/main` -> `main`; a bare name stays; tags, pull refs and shas are no branch. */
function branchOf(ref: string): string | undefined {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  if (ref === '' || ref.startsWith('refs/') || /^[0-9a-f]{40}$/.test(ref)) return undefined;
  return ref;
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A field GitHub always sends with this event; its absence is a malformed payload, not a user error. */
function required(eventName: string, payload: unknown, ...path: string[]): string {
  const value = text(at(payload, ...path));
  if (value === undefined) throw new Error(`the ${eventName} event's payload has no ${path.join('.')}`);
  return value;
}

function requiredNumber(eventName: string, payload: unknown, ...path: string[]): number {
  const value = at(payload, ...path);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`the ${eventName} event's payload has no ${path.join('.')}`);
  return value;
}
