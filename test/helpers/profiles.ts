import type { ExecutorSpec, Journey, Profile, Step } from '../../src/config/profile-types.js';

/** A valid Profile built in code, for engine tests that do not exercise the YAML loader. */
export function profileWith(options: {
  target: string;
  scenarios: Array<{ name?: string; executor: ExecutorSpec; startTimeMs?: number; gracefulStopMs?: number; journeys?: string[] }>;
  journeys?: Journey[];
  warmupMs?: number;
  blockMs?: number;
  maxCaptureBodyBytes?: number;
}): Profile {
  const journeys = options.journeys ?? [{ name: 'main', weight: 1, steps: [step('GET /')] }];
  return {
    id: 'test',
    file: 'test.yml',
    target: options.target,
    headers: {},
    timeoutMs: 10_000,
    maxCaptureBodyBytes: options.maxCaptureBodyBytes ?? 1024 ** 2,
    warmupMs: options.warmupMs ?? 0,
    blockMs: options.blockMs ?? 1000,
    scenarios: options.scenarios.map((s, i) => ({
      name: s.name ?? `s${i}`,
      executor: s.executor,
      startTimeMs: s.startTimeMs ?? 0,
      gracefulStopMs: s.gracefulStopMs ?? 30_000,
      journeys: s.journeys ?? journeys.map((j) => j.name),
    })),
    journeys,
    thresholds: [],
    regression: {},
    secrets: [],
  };
}

export function step(request: string, extra: Partial<Step> = {}): Step {
  const space = request.indexOf(' ');
  const method = request.slice(0, space);
  const path = request.slice(space + 1);
  return { name: request, method, path, headers: {}, capture: {}, timeoutMs: 10_000, ...extra };
}
