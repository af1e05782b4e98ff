import type { PlannedScenario } from '../plan/plan.js';
import { createHistogram, createWriteHistogram, encodeHistogram, recordMicros, recordMicrosFromZero, type Histogram } from '../record/histogram.js';
import type { EncodedHistogram, ErrorKind, ScenarioResults, StepTotals } from '../record/run-record-types.js';
import type { PairedTimeline } from '../record/paired-layout.js';
import { REQUEST_PHASES, type RequestPhase, type RequestTimings } from '../record/request-phases.js';

/**
 * Each scenario's requests apart (k6's `{scenario:NAME}`): per step and overall, over the
 * measured period as the recorder counts it (warm-up left out; in paired mode only what was
 * measured for the arm), per arm. Whole-period totals only: the blocks stay the run's.
 */
class Totals {
  histogram: Histogram | undefined;
  /** Latencies of the requests whose status was expected (k6's `{expected_response:true}`), µs. */
  expected: Histogram | undefined;
  /**
   * The phases of the requests that got a whole response (k6's http_req_blocked ...
   * http_req_receiving), µs, in the order of REQUEST_PHASES.
   */
  readonly phases: Array<Histogram | undefined> = [undefined, undefined, undefined, undefined, undefined, undefined];
  requests = 0;
  errors = 0;
  readonly statuses = new Map<number, number>();
  readonly errorKinds = new Map<ErrorKind, number>();

  add(latencyUs: number | undefined, status: number | undefined, error: ErrorKind | undefined, timings: RequestTimings | undefined): void {
    this.requests++;
    if (latencyUs !== undefined) {
      recordMicros((this.histogram ??= createWriteHistogram()), latencyUs);
      if (error === undefined) recordMicros((this.expected ??= createWriteHistogram()), latencyUs);
    }
    if (timings !== undefined) {
      // Written out, not looped over names: this runs for every request.
      const p = this.phases;
      recordMicrosFromZero((p[0] ??= createWriteHistogram()), timings.blockedMs * 1000);
      recordMicrosFromZero((p[1] ??= createWriteHistogram()), timings.connectingMs * 1000);
      recordMicrosFromZero((p[2] ??= createWriteHistogram()), timings.tlsHandshakingMs * 1000);
      recordMicrosFromZero((p[3] ??= createWriteHistogram()), timings.sendingMs * 1000);
      recordMicrosFromZero((p[4] ??= createWriteHistogram()), timings.waitingMs * 1000);
      recordMicrosFromZero((p[5] ??= createWriteHistogram()), timings.receivingMs * 1000);
    }
    if (status !== undefined) this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (error !== undefined) {
      this.errors++;
      this.errorKinds.set(error, (this.errorKinds.get(error) ?? 0) + 1);
    }
  }

  toRecord(): StepTotals {
    return {
      histogram: encodeHistogram(packed(this.histogram)),
      expected: encodeHistogram(packed(this.expected)),
      ...Object.fromEntries(REQUEST_PHASES.map((phase, i) => [phase, encodeHistogram(packed(this.phases[i]))])),
      requests: this.requests,
      errors: this.errors,
      statuses: Object.fromEntries([...this.statuses].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v])),
      errorKinds: Object.fromEntries(this.errorKinds),
    };
  }
}

export class ScenarioTotals {
  /** [arm][scenario][step id] */
  private readonly totals: [Array<Map<number, Totals>>, Array<Map<number, Totals>>];
  /** [arm][scenario]: durations of the iterations that began in the measured period and ran to their end, µs. */
  private readonly iterations: [Array<Histogram | undefined>, Array<Histogram | undefined>];
  /** [arm][scenario]: group name -> its durations (k6's group_duration), µs. */
  private readonly groups: [Array<Map<string, Histogram>>, Array<Map<string, Histogram>>];

  constructor(
    private readonly scenarios: readonly PlannedScenario[],
    private readonly stepNames: readonly string[],
    private readonly warmupMs: number,
    private readonly pairing?: PairedTimeline,
  ) {
    this.totals = [scenarios.map(() => new Map()), scenarios.map(() => new Map())];
    this.iterations = [scenarios.map(() => undefined), scenarios.map(() => undefined)];
    this.groups = [scenarios.map(() => new Map()), scenarios.map(() => new Map())];
  }

  /** The index `record` takes for a scenario of the plan. */
  indexOf(scenario: PlannedScenario): number {
    return this.scenarios.indexOf(scenario);
  }

  record(scenario: number, stepId: number, originMs: number, latencyUs: number | undefined, status: number | undefined, error: ErrorKind | undefined, arm: number, timings?: RequestTimings): void {
    const index = arm === 1 ? 1 : 0;
    if (!this.measured(index, originMs)) return;
    const steps = this.totals[index][scenario] as Map<number, Totals>;
    let totals = steps.get(stepId);
    if (totals === undefined) steps.set(stepId, (totals = new Totals()));
    totals.add(latencyUs, status, error, timings);
  }

  /** An iteration of a scenario that began `startMs` after the run's start and ran to its end in `durationUs`. */
  recordIteration(scenario: number, startMs: number, durationUs: number, arm: number): void {
    const index = arm === 1 ? 1 : 0;
    if (!this.measured(index, startMs)) return;
    recordMicros((this.iterations[index][scenario] ??= createWriteHistogram()), durationUs);
  }

  /** A group of a scenario's journey that began `startMs` after the run's start and took `durationUs` to its last request's end. */
  recordGroup(scenario: number, group: string, startMs: number, durationUs: number, arm: number): void {
    const index = arm === 1 ? 1 : 0;
    if (!this.measured(index, startMs)) return;
    const groups = this.groups[index][scenario] as Map<string, Histogram>;
    let histogram = groups.get(group);
    if (histogram === undefined) groups.set(group, (histogram = createWriteHistogram()));
    recordMicros(histogram, durationUs);
  }

  /** Scenario name -> group name -> its durations, for one arm (k6's group_duration); only scenarios whose journeys have groups. */
  groupRecords(arm = 0): Record<string, Record<string, EncodedHistogram>> {
    const index = arm === 1 ? 1 : 0;
    const out: Record<string, Record<string, EncodedHistogram>> = {};
    this.scenarios.forEach((scenario, i) => {
      const names = [...new Set(scenario.journeys.flatMap((j) => j.steps.flatMap((s) => (s.group === undefined ? [] : [s.group]))))];
      if (names.length === 0) return;
      const groups = this.groups[index][i] as Map<string, Histogram>;
      out[scenario.name] = Object.fromEntries(names.map((name) => [name, encodeHistogram(packed(groups.get(name)))]));
    });
    return out;
  }

  /** The head arm's durations so far of a group (or all groups) of a scenario (or all); undefined for a scenario the plan has not. */
  liveGroups(group: string | null, scenario: string | null): Histogram[] | undefined {
    return this.selected(scenario)?.flatMap((i) => [...(this.groups[0][i] as Map<string, Histogram>)].filter(([name]) => group === null || name === group).map(([, h]) => h));
  }

  /** Scenario name -> the durations of its iterations in the measured period, for one arm (k6's iteration_duration). */
  iterationRecords(arm = 0): Record<string, EncodedHistogram> {
    const index = arm === 1 ? 1 : 0;
    return Object.fromEntries(this.scenarios.map((scenario, i) => [scenario.name, encodeHistogram(packed(this.iterations[index][i]))]));
  }

  /**
   * The head arm's running totals of a step (or all steps) of a scenario (or all scenarios), for
   * thresholds judged during the run: counts, and the histograms to add for their latencies.
   * Undefined for a name the plan has not.
   */
  liveRequests(step: string | null, scenario: string | null, phase?: RequestPhase): { requests: number; errors: number; histograms: Histogram[]; expected: Histogram[]; phase: Histogram[] } | undefined {
    const scenarios = this.selected(scenario);
    const stepId = step === null ? undefined : this.stepNames.indexOf(step);
    if (scenarios === undefined || stepId === -1) return undefined;
    const phaseIndex = phase === undefined ? -1 : REQUEST_PHASES.indexOf(phase);
    const out = { requests: 0, errors: 0, histograms: [] as Histogram[], expected: [] as Histogram[], phase: [] as Histogram[] };
    for (const i of scenarios) {
      for (const [id, totals] of this.totals[0][i] as Map<number, Totals>) {
        if (stepId !== undefined && id !== stepId) continue;
        out.requests += totals.requests;
        out.errors += totals.errors;
        if (totals.histogram) out.histograms.push(totals.histogram);
        if (totals.expected) out.expected.push(totals.expected);
        const phased = totals.phases[phaseIndex];
        if (phased) out.phase.push(phased);
      }
    }
    return out;
  }

  /** The head arm's iteration durations so far, of a scenario or all; undefined for a name the plan has not. */
  liveIterations(scenario: string | null): Histogram[] | undefined {
    return this.selected(scenario)?.flatMap((i) => this.iterations[0][i] ?? []);
  }

  private selected(scenario: string | null): number[] | undefined {
    if (scenario === null) return this.scenarios.map((_, i) => i);
    const index = this.scenarios.findIndex((s) => s.name === scenario);
    return index === -1 ? undefined : [index];
  }

  private measured(arm: 0 | 1, originMs: number): boolean {
    return this.pairing ? this.pairing.localOffset(arm, originMs) !== undefined : originMs >= this.warmupMs;
  }

  /** Scenario name -> its results for one arm: every step its journeys have, and all of them. */
  toRecords(arm = 0): Record<string, ScenarioResults> {
    const index = arm === 1 ? 1 : 0;
    const out: Record<string, ScenarioResults> = {};
    this.scenarios.forEach((scenario, i) => {
      const tallies = this.totals[index][i] as Map<number, Totals>;
      const ids = [...new Set(scenario.journeys.flatMap((j) => j.steps.map((s) => s.id)))].sort((a, b) => a - b);
      const overall = new Totals();
      const steps = Object.fromEntries(
        ids.map((id) => {
          const totals = tallies.get(id) ?? new Totals();
          addInto(overall, totals);
          return [this.stepNames[id] as string, totals.toRecord()];
        }),
      );
      out[scenario.name] = { overall: overall.toRecord(), steps };
    });
    return out;
  }
}

/** A write histogram packed for storing (an empty one when none was written). */
function packed(histogram: Histogram | undefined): Histogram {
  const out = createHistogram();
  if (histogram) out.add(histogram);
  return out;
}

function addInto(sum: Totals, part: Totals): void {
  if (part.histogram) (sum.histogram ??= createWriteHistogram()).add(part.histogram);
  if (part.expected) (sum.expected ??= createWriteHistogram()).add(part.expected);
  part.phases.forEach((histogram, i) => {
    if (histogram) (sum.phases[i] ??= createWriteHistogram()).add(histogram);
  });
  sum.requests += part.requests;
  sum.errors += part.errors;
  for (const [k, v] of part.statuses) sum.statuses.set(k, (sum.statuses.get(k) ?? 0) + v);
  for (const [k, v] of part.errorKinds) sum.errorKinds.set(k, (sum.errorKinds.get(k) ?? 0) + v);
}
