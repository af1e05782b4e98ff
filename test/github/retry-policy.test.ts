import { describe, expect, it } from 'vitest';
import { retryDecision } from '../../src/github/retry-policy.js';

const policy = { retries: 3, maxWaitSeconds: 60 };
const now = Date.parse('2026-01-01T00:00:00Z');
const failure = (status: number, headers: Record<string, string> = {}, message = '') => Object.assign(new Error(message), { status, response: { headers } });

describe('retryDecision', () => {
  it.each([
    ['502, first failure', failure(502), 0, { retry: true, waitSeconds: 1 }],
    ['502, third failure backs off', failure(502), 2, { retry: true, waitSeconds: 4 }],
    ['502 after all retries', failure(502), 3, { retry: false }],
    ['a network failure (octokit says 500)', failure(500, {}, 'connect ECONNREFUSED'), 0, { retry: true, waitSeconds: 1 }],
    ['503 with retry-after', failure(503, { 'retry-after': '7' }), 0, { retry: true, waitSeconds: 7 }],
    ['429 with retry-after: 0', failure(429, { 'retry-after': '0' }), 0, { retry: true, waitSeconds: 0 }],
    ['429 with an HTTP-date retry-after', failure(429, { 'retry-after': new Date(now + 4000).toUTCString() }), 0, { retry: true, waitSeconds: 4 }],
    ['429 without headers', failure(429), 1, { retry: true, waitSeconds: 2 }],
    ['403 primary limit waits until reset', failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }), 0, { retry: true, waitSeconds: 30 }],
    ['403 primary limit resetting too late', failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) }), 0, { retry: false }],
    ['403 secondary limit with retry-after', failure(403, { 'retry-after': '12' }), 0, { retry: true, waitSeconds: 12 }],
    ['403 secondary limit named only in the message', failure(403, {}, 'You have exceeded a secondary rate limit'), 0, { retry: true, waitSeconds: 60 }],
    ['403 for a missing permission', failure(403, {}, 'Resource not accessible by integration'), 0, { retry: false }],
    ['404', failure(404), 0, { retry: false }],
    ['422', failure(422), 0, { retry: false }],
    ['not an HTTP error', new TypeError('bug'), 0, { retry: false }],
  ])('%s', (_name, error, attempt, expected) => {
    expect(retryDecision(error, attempt, policy, now)).toMatchObject(expected);
  });
});
