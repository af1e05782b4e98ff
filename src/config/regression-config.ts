/**
 * The relative gate's settings as a profile writes them (its `regression` block), typed. The
 * comparison's options extend them (compare-options.ts): config owns what a profile can say, and
 * depends on nothing downstream of it.
 */
export interface RegressionSettings {
  /** Allowed p95 increase, percent. */
  p95Pct?: number;
  /** Allowed throughput decrease, percent. */
  throughputPct?: number;
  /** Allowed absolute error-rate increase as a fraction (0.01 = one percentage point). */
  errorRateIncrease?: number;
  /** Chance of failing the gate when nothing changed. */
  alpha?: number;
  /**
   * Run-to-run noise (percent) assumed for p95 and throughput until the history measures it: the
   * scale of the heavy-tailed prior on it (see `compare/shift-estimate.ts`). Shared runners and preview
   * deployments differ by this much from run to run; ten baseline runs outweigh it.
   */
  noiseFloorPct?: number;
  /** Steps counted towards the verdict; `overall` means all steps together. Default: every step and overall. */
  steps?: string[];
  /** A rising load (a stress run): allowed decrease of the sustainable rate, percent (default 10). */
  capacityPct?: number;
  /** A surge (a spike run): allowed increase of each surge's recovery time, percent (default 50). */
  recoveryPct?: number;
  /**
   * A steady load (a soak): allowed extra growth of p95 a minute beyond the baseline runs' own,
   * percent a minute (default 5). The slow burn is gated only when the profile sets it; else it
   * is compared and reported.
   */
  trendPctPerMinute?: number;
  /**
   * The target's `Server-Timing` components gated, as each step's p95 is: the allowed increase of a
   * component's p95, percent, for every component (`allPct`) or for the named ones (`byName`).
   * Off when absent: the components are then compared and reported, not gated.
   */
  serverTiming?: ServerTimingAllowance;
  /**
   * The target's CPU-seconds per request (its `metrics:` scrape): the allowed increase, percent.
   * Gated only when set; else compared and reported when the target's metrics are scraped.
   */
  cpuPct?: number;
  /**
   * The target's resident memory: the allowed extra growth a minute beyond the baseline runs' own,
   * percent a minute. Gated only when set; else compared and reported.
   */
  memoryPctPerMinute?: number;
}

/** `regression.serverTiming` read: one percentage for every component, or one per name. */
export interface ServerTimingAllowance {
  allPct?: number;
  byName?: Record<string, number>;
}

/** The allowed increase of a component's p95, percent, or undefined when the component is not gated. */
export function serverTimingAllowedPct(allowance: ServerTimingAllowance | undefined, name: string): number | undefined {
  if (allowance === undefined) return undefined;
  if (allowance.byName !== undefined && Object.hasOwn(allowance.byName, name)) return allowance.byName[name];
  return allowance.allPct;
}

/**
 * Reads the profile's `regression` block (as written in YAML) into its settings:
 *   regression: { p95: 10%, throughput: 10%, errors: 1%, alpha: 0.05, noiseFloor: 3%, steps: [checkout],
 *                 capacity: 10%, recovery: 50%, trend: 5%, serverTiming: 20%, cpu: 25%, memory: 2% }
 * Every limit is a percentage, written `10%` or `10`; `errors` is in percentage points of the
 * error rate (1% allows 0.2% -> 1.2%), `trend` in percent a minute; `serverTiming` is one
 * percentage for every Server-Timing component, or one per name: `serverTiming: { db: 20% }`;
 * `cpu` is the increase of the target's CPU-seconds per request, `memory` the extra growth of its
 * resident memory in percent a minute (both read from the profile's `metrics:` scrape).
 * Bad values are reported with the fix, never defaulted.
 */
export const REGRESSION_KEYS = ['p95', 'throughput', 'errors', 'alpha', 'noiseFloor', 'steps', 'capacity', 'recovery', 'trend', 'serverTiming', 'cpu', 'memory'] as const;

/** Where a mistake of `regression.<key>` is reported. */
export type RegressionProblem = (key: (typeof REGRESSION_KEYS)[number], message: string, fix: string) => void;

/** The block's settings; each bad field goes to `problem` (and is left out). `stepNames`: the journeys' steps. */
export function regressionOptions(config: Record<string, unknown>, stepNames: readonly string[], problem: RegressionProblem): RegressionSettings {
  const options: RegressionSettings = {};

  const p95 = percentage(config.p95);
  if (p95 === null || (p95 !== undefined && !(p95 > 0))) problem('p95', `must be a positive percentage (got ${show(config.p95)})`, 'write the largest allowed p95 increase, e.g. 10%');
  else if (p95 !== undefined) options.p95Pct = p95;

  const throughput = percentage(config.throughput);
  if (throughput === null || (throughput !== undefined && !(throughput > 0 && throughput < 100))) {
    problem('throughput', `must be a percentage between 0 and 100 (got ${show(config.throughput)})`, 'write the largest allowed throughput drop, e.g. 10%');
  } else if (throughput !== undefined) options.throughputPct = throughput;

  const errors = percentage(config.errors);
  if (errors === null || (errors !== undefined && !(errors > 0 && errors < 100))) {
    problem('errors', `must be a percentage between 0 and 100 (got ${show(config.errors)})`, 'write the largest allowed rise of the error rate in points, e.g. 1%');
  } else if (errors !== undefined) options.errorRateIncrease = errors / 100;

  const alpha = config.alpha;
  if (alpha !== undefined && !(typeof alpha === 'number' && alpha > 0 && alpha < 0.5)) {
    problem('alpha', `must be a number between 0 and 0.5 (got ${show(alpha)})`, 'write the accepted false-alarm rate, e.g. 0.05');
  } else if (typeof alpha === 'number') options.alpha = alpha;

  const floor = percentage(config.noiseFloor);
  if (floor === null || (floor !== undefined && !(floor >= 0 && floor < 100))) {
    problem('noiseFloor', `must be a percentage ≥ 0 (got ${show(config.noiseFloor)})`, 'write the run-to-run noise to assume, e.g. 3%');
  } else if (floor !== undefined) options.noiseFloorPct = floor;

  const steps = config.steps;
  if (steps !== undefined) {
    const known = new Set(stepNames);
    if (!Array.isArray(steps) || steps.some((s) => typeof s !== 'string') || steps.length === 0) {
      problem('steps', `must be a non-empty list of step names (got ${show(steps)})`, 'write e.g. [checkout, overall]');
    } else {
      const unknown = (steps as string[]).filter((name) => name !== 'overall' && !known.has(name));
      if (unknown.length > 0) {
        problem('steps', `names ${unknown.map((n) => `"${n}"`).join(', ')}, which no journey has`, `use step names (${[...known].join(', ')}) or "overall"`);
      } else options.steps = [...(steps as string[])];
    }
  }

  const capacity = percentage(config.capacity);
  if (capacity === null || (capacity !== undefined && !(capacity > 0 && capacity < 100))) {
    problem('capacity', `must be a percentage between 0 and 100 (got ${show(config.capacity)})`, 'write the largest allowed drop of the sustainable rate, e.g. 10%');
  } else if (capacity !== undefined) options.capacityPct = capacity;

  /** A field that must be a positive percentage: its value, or undefined when absent or wrong (the problem said). */
  const positive = (field: 'recovery' | 'trend' | 'cpu' | 'memory', what: string, fix: string): number | undefined => {
    const value = percentage(config[field]);
    if (value === null || (value !== undefined && !(value > 0))) {
      problem(field, `must be a positive percentage${what} (got ${show(config[field])})`, fix);
      return undefined;
    }
    return value;
  };
  const recovery = positive('recovery', '', 'write the largest allowed rise of the recovery time from a surge, e.g. 50%');
  if (recovery !== undefined) options.recoveryPct = recovery;
  const trend = positive('trend', ' a minute', 'write the largest allowed extra growth of p95 a minute beyond the baseline\'s, e.g. 5%');
  if (trend !== undefined) options.trendPctPerMinute = trend;
  const cpu = positive('cpu', '', "write the largest allowed increase of the target's CPU-seconds per request, e.g. 25%");
  if (cpu !== undefined) options.cpuPct = cpu;
  const memory = positive('memory', ' a minute', "write the largest allowed extra growth of the target's memory a minute beyond the baseline's, e.g. 2%");
  if (memory !== undefined) options.memoryPctPerMinute = memory;

  const serverTiming = serverTimingAllowance(config.serverTiming, (message, fix) => problem('serverTiming', message, fix));
  if (serverTiming !== undefined) options.serverTiming = serverTiming;

  return options;
}

/** A Server-Timing metric name as the header writes it (an HTTP token), at most 64 characters as the record keeps them. */
const COMPONENT_NAME = /^[-!#$%&'*+.^_`|~0-9A-Za-z]{1,64}$/;
const MAX_GATED_COMPONENTS = 100;

/** `20%` -> every component; `{ db: 20%, cache: 50% }` -> those names. Undefined when absent or wrong (reported). */
function serverTimingAllowance(value: unknown, problem: (message: string, fix: string) => void): ServerTimingAllowance | undefined {
  if (value === undefined) return undefined;
  const fix = 'write the largest allowed increase of a component\'s p95 for every component, e.g. 20%, or per Server-Timing name, e.g. { db: 20% }';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const all = percentage(value);
    if (all === null || all === undefined || !(all > 0)) {
      problem(`must be a positive percentage or a map of Server-Timing names to percentages (got ${show(value)})`, fix);
      return undefined;
    }
    return { allPct: all };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_GATED_COMPONENTS) {
    problem(`must name between 1 and ${MAX_GATED_COMPONENTS} Server-Timing components (got ${entries.length})`, fix);
    return undefined;
  }
  const byName: Record<string, number> = {};
  let bad = false;
  for (const [name, pct] of entries) {
    const allowed = percentage(pct);
    if (!COMPONENT_NAME.test(name)) {
      problem(`names "${name}", which is not a Server-Timing metric name`, 'use the name as the target sends it in the header (letters, digits and !#$%&\'*+-.^_`|~, at most 64 characters), e.g. db');
      bad = true;
    } else if (allowed === null || allowed === undefined || !(allowed > 0)) {
      problem(`${name} must be a positive percentage (got ${show(pct)})`, `write the largest allowed increase of ${name}'s p95, e.g. { ${name}: 20% }`);
      bad = true;
    } else byName[name] = allowed;
  }
  return bad ? undefined : { byName };
}

/** `10%`, `"10"`, `10` -> 10; undefined when absent; null when it is not a percentage. */
export function percentage(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(value);
  return match ? Number(match[1]) : null;
}

/** A value as it was written, for an error message: text in quotes, anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}
