import { createHash } from 'node:crypto';
import type { Profile, Step } from '../config/profile-types.js';
import { maskSecrets } from '../config/shown-values.js';

/**
 * The hash of a profile's load shape: scenarios, journeys, steps and their request lines.
 * It leaves out what differs between runs of the same load: the target URL (every preview has
 * its own), header values (secrets), thresholds and regression settings. A value from the
 * environment in a request line or a body counts as `***`: the hash is shown and stored beside
 * runs, and a short secret could be guessed from a hash that held it.
 */
export function profileHash(profile: Profile): string {
  const shape = {
    warmupMs: profile.warmupMs,
    blockMs: profile.blockMs,
    timeoutMs: profile.timeoutMs,
    headerNames: Object.keys(profile.headers).map((h) => h.toLowerCase()).sort(),
    scenarios: profile.scenarios.map((s) => ({
      name: s.name,
      executor: s.executor,
      startTimeMs: s.startTimeMs,
      gracefulStopMs: s.gracefulStopMs,
      journeys: s.journeys,
    })),
    journeys: profile.journeys.map((j) => ({
      name: j.name,
      weight: j.weight,
      steps: j.steps.map((step) => stepShape(step, profile.secrets)),
    })),
    // Absent when empty, so that a profile without them keeps the hash it had before they existed.
    setup: profile.setup?.map((step) => stepShape(step, profile.secrets)),
    // Which data sets and how rows are picked; never their values (they may be credentials).
    data: profile.data?.map((d) => ({ name: d.name, pick: d.pick, columns: d.columns })),
    // A session kept or not is another load (logins, cached sessions): absent when the default,
    // so a profile that says nothing of cookies keeps the hash it had.
    cookies: profile.cookies === false ? 'off' : profile.cookiesPerIteration === true ? 'per-iteration' : undefined,
  };
  return createHash('sha256').update(canonicalJson(shape)).digest('hex').slice(0, 16);
}

function stepShape(step: Step, secrets: readonly string[]): Record<string, unknown> {
  return {
    name: step.name,
    request: `${step.method} ${step.shownPath ?? step.path}`,
    headerNames: Object.keys(step.headers).map((h) => h.toLowerCase()).sort(),
    body: step.body === undefined ? null : maskedBody(step.body, secrets),
    expect: step.expect ?? null,
    capture: step.capture,
    think: step.think ?? null,
    timeoutMs: step.timeoutMs,
    once: step.once || undefined,
    cookies: step.cookies === false ? false : undefined,
  };
}

/** A body with each value from the environment as `***`, in its strings only (never in keys' order or numbers). */
function maskedBody(body: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return body;
  if (typeof body === 'string') return maskSecrets(body, secrets);
  if (Array.isArray(body)) return body.map((item) => maskedBody(item, secrets));
  if (body !== null && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, maskedBody(value, secrets)]));
  return body;
}

/** JSON with object keys sorted, so equal shapes hash equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
