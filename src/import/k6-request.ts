import type { ErrorKind } from '../record/run-record-types.js';
import type { ImportedRequest } from './imported-line.js';

/** The tags k6 puts on an `http_req_duration` sample that say which request it was and how it ended. */
export interface K6RequestTags {
  name: string | undefined;
  url: string | undefined;
  scenario: string | undefined;
  status: string | undefined;
  expected_response: string | undefined;
  error_code: string | undefined;
}

/**
 * One k6 HTTP request from its `http_req_duration` sample: k6 stamps the sample when the request
 * ended, so it was sent `durationMs` earlier. An error is what k6 itself counts in
 * `http_req_failed`: `expected_response:false` (or, in k6 older than that tag, a status of 400 or
 * more); a status of 0 is a request that got no response, its kind read from `error_code`.
 */
export function k6Request(tags: K6RequestTags, endMs: number, durationMs: number): ImportedRequest | string {
  const step = tags.name || tags.url;
  if (!step) return 'the sample has neither a name nor a url tag';
  const status = tags.status === undefined || tags.status === '' ? 0 : Number(tags.status);
  if (!Number.isInteger(status) || status < 0 || status > 999) return `its status tag is ${JSON.stringify(tags.status)}, not an HTTP status`;
  const error = status === 0 ? transportError(tags.error_code) : statusError(status, tags.expected_response);
  // A request with no response has no duration worth keeping, except a timeout's (a lower bound).
  const keepsLatency = status !== 0 || error === 'timeout';
  return {
    step,
    scenario: tags.scenario || 'default',
    startMs: endMs - durationMs,
    latencyUs: keepsLatency ? durationMs * 1000 : undefined,
    status: status === 0 ? undefined : status,
    error,
    ...(tags.url ? { url: tags.url } : {}),
  };
}

function statusError(status: number, expected: string | undefined): ErrorKind | undefined {
  if (expected === 'false') return 'status';
  if (expected === 'true') return undefined;
  return status >= 400 ? 'status' : undefined;
}

/** k6's error codes (its docs' "Error codes"): 1000s general, 1100s DNS, 1200s TCP, 1300s TLS. */
function transportError(code: string | undefined): ErrorKind {
  const n = Number(code);
  if (n === 1050 || n === 1211) return 'timeout';
  if (n === 1212) return 'refused';
  if (n === 1220 || n === 1201) return 'reset';
  if (n >= 1100 && n < 1200) return 'dns';
  if (n >= 1300 && n < 1400) return 'tls';
  return 'other';
}
