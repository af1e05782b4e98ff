import { setTimeout as sleep } from 'node:timers/promises';
import { getOctokit } from '@actions/github';
import type { Logger } from '../logging.js';
import { TOOL_VERSION } from '../version.js';
import { retryDecision, type RetryPolicy } from './retry-policy.js';

/** The octokit the reporters use: REST methods, pagination, and tailgate's retries. */
export type GitHubClient = ReturnType<typeof getOctokit>;
type OctokitPlugin = NonNullable<Parameters<typeof getOctokit>[2]>;

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL` in Actions (GHES has its own); a fake's URL in tests. */
  baseUrl: string;
  logger?: Logger;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Milliseconds per second of wait: 1000 for real, small in tests so retries take no time. */
  retryDelayScaleMs?: number;
  /** A rate limit that asks for a longer wait fails the call instead (default 60 s). */
  maxRetryWaitSeconds?: number;
  /** Each attempt is abandoned (and retried) after this long (default 30 s). */
  requestTimeoutMs?: number;
}

/**
 * An octokit for `baseUrl` that retries 5xx, network failures and rate limits (see
 * retry-policy.ts). `@octokit/plugin-retry` is not used: it neither honours `retry-after` nor
 * tells a rate-limited 403 from a permission 403.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const logger = options.logger;
  const policy: RetryPolicy = { retries: options.retries ?? 3, maxWaitSeconds: options.maxRetryWaitSeconds ?? 60 };
  const retry = retryPlugin(policy, options.retryDelayScaleMs ?? 1000, options.requestTimeoutMs ?? 30_000, logger);
  const noop = (): void => {};
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      userAgent: `tailgate/${TOOL_VERSION}`,
      log: { debug: noop, info: noop, warn: (m: string) => logger?.warn(m), error: (m: string) => logger?.error(m) },
    },
    retry,
  );
}

function retryPlugin(policy: RetryPolicy, msPerSecond: number, timeoutMs: number, logger: Logger | undefined): OctokitPlugin {
  return (octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await request({ ...options, request: { ...options.request, signal: AbortSignal.timeout(timeoutMs) } });
        } catch (error) {
          const decision = retryDecision(error, attempt, policy, Date.now());
          if (!decision.retry) throw error;
          const call = `${options.method} ${pathOf(octokit.request.endpoint.parse(options).url)}`;
          logger?.info(`GitHub ${decision.reason} for ${call}; retry ${attempt + 1} of ${policy.retries} in ${decision.waitSeconds} s`);
          await sleep(decision.waitSeconds * msPerSecond);
        }
      }
    });
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
