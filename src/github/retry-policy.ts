/**
 * When a failed GitHub API call is worth another try, and how long to wait first. Pure: the
 * error, the attempt and the clock come in, a decision goes out.
 *
 * Retried: 5xx answers and network failures (octokit reports those as status 500), and rate
 * limits (429, or 403 with `retry-after`, `x-ratelimit-remaining: 0` or a "rate limit" message).
 * Waits honour `retry-after`, then `x-ratelimit-reset`, then back off 1, 2, 4... seconds.
 * A wait longer than `maxWaitSeconds` is not worth it: the call fails instead.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  maxWaitSeconds: number;
}

export type RetryDecision = { retry: false } | { retry: true; waitSeconds: number; reason: string };

export interface HttpFailure {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

/** The status, headers and message of an octokit error, or undefined for anything else. */
export function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response, message } = error as { status?: unknown; response?: { headers?: unknown }; message?: unknown };
  if (typeof status !== 'number') return undefined;
  const headers = typeof response?.headers === 'object' && response.headers !== null ? (response.headers as HttpFailure['headers']) : {};
  return { status, headers, message: typeof message === 'string' ? message : '' };
}

/** A rate limit, primary or secondary, as opposed to a 403 for missing permissions. */
export function isRateLimited(failure: HttpFailure): boolean {
  if (failure.status === 429) return true;
  if (failure.status !== 403) return false;
  return (
    failure.headers['retry-after'] !== undefined ||
    String(failure.headers['x-ratelimit-remaining']) === '0' ||
    /rate limit/i.test(failure.message)
  );
}

/** `attempt` counts the retries already made (0 after the first failure). */
export function retryDecision(error: unknown, attempt: number, policy: RetryPolicy, nowMs: number): RetryDecision {
  const failure = httpFailure(error);
  if (failure === undefined || attempt >= policy.retries) return { retry: false };
  const backoff = 2 ** attempt;
  const retryAfter = secondsUntilRetry(failure.headers['retry-after'], nowMs);
  let waitSeconds: number;
  let reason: string;
  if (isRateLimited(failure)) {
    const reset = Number(failure.headers['x-ratelimit-reset']);
    const untilReset = String(failure.headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset) ? reset - nowMs / 1000 : undefined;
    // GitHub asks for at least a minute when a secondary limit names no time.
    waitSeconds = retryAfter ?? untilReset ?? (failure.status === 403 ? 60 : backoff);
    reason = `rate limited (${failure.status})`;
  } else if (failure.status >= 500) {
    waitSeconds = retryAfter ?? backoff;
    reason = failure.status === 500 && failure.headers['retry-after'] === undefined ? `failed (${failure.message || 500})` : `answered ${failure.status}`;
  } else {
    return { retry: false };
  }
  waitSeconds = Math.max(0, Math.ceil(waitSeconds));
  if (waitSeconds > policy.maxWaitSeconds) return { retry: false };
  return { retry: true, waitSeconds, reason };
}

/** `retry-after` is either delay-seconds or an HTTP date. */
function secondsUntilRetry(value: string | number | undefined, nowMs: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : (date - nowMs) / 1000;
}
