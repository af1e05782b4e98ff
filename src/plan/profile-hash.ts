import { createHash } from 'node:crypto';
import type { Profile, Step } from '../config/profile-types.js';

/**
 * The hash of a profile's load shape: scenarios, journeys, steps and their request lines.
 * It leaves out what differs between runs of the same load: the target URL (every preview has
 * its own), header values (secrets), thresholds and regression settings.
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
      steps: j.steps.map(stepShape),
    })),
    // Absent when empty, so that a profile without them keeps the hash it had before they existed.
    setup: profile.setup?.map(stepShape),
    // Which data sets and how rows are picked; never their values (they may be credentials).
    data: profile.data?.map((d) => ({ name: d.name, pick: d.pick, columns: d.columns })),
  };
  return createHash('sha256').update(canonicalJson(shape)).digest('hex').slice(0, 16);
}

function stepShape(step: Step): Record<string, unknown> {
  return {
    name: step.name,
    request: `${step.method} ${step.path}`,
    headerNames: Object.keys(step.headers).map((h) => h.toLowerCase()).sort(),
    body: step.body ?? null,
    expect: step.expect ?? null,
    capture: step.capture,
    think: step.think ?? null,
    timeoutMs: step.timeoutMs,
    once: step.once || undefined,
  };
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
