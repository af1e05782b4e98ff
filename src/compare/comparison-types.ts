import type { Analysis } from '../analyze/analysis-types.js';
import type { SourceLocation } from '../config/profile-types.js';

/**
 * The result of comparing one run with its baseline history, `tailgate.comparison/v1`.
 * Plain JSON (no Infinity, NaN or undefined-only fields): it is written by `--json`, read by the
 * reporters and kept as an artifact, so its shape is a contract like the run record's.
 */
export const COMPARISON_SCHEMA = 'tailgate.comparison/v1';

/**
 * - `regression`: worse than allowed, and significantly worse than the baseline: fails the gate.
 * - `improvement`: significantly better by more than the allowed change; reported, never fails.
 * - `inconclusive`: the run could neither rule out "no change" nor "beyond the allowed change".
 * - `pass`: no evidence of a change beyond the allowed one.
 * - `no-baseline`: nothing comparable to compare with.
 */
export type Verdict = 'pass' | 'regression' | 'improvement' | 'inconclusive' | 'no-baseline';

/** What a check run should conclude: failure on a regression or a broken threshold. */
export type Conclusion = 'success' | 'failure' | 'neutral';

export type GatedMetric = 'p95' | 'throughput' | 'errorRate';

/** Where a run came from, enough to name it in a report. */
export interface RunRef {
  commit?: string;
  ref?: string;
  runId?: string;
  startedAt: string;
}

/**
 * Where the uncertainty of a change came from. Standard deviations are on the analysis scale:
 * natural-log units for p95 and throughput (0.03 ≈ 3%), absolute fractions for the error rate.
 */
export interface NoiseBreakdown {
  standardError: number;
  /** Degrees of freedom of a t interval; null when the interval comes from the noise model's mixture. */
  degreesOfFreedom: number | null;
  /** Within-run noise of the current run (batch means over its blocks). */
  withinCurrent: number;
  /** Within-run noise of the baseline's mean over the history runs. */
  withinBaseline: number;
  /** Run-to-run spread estimated for one run (posterior mean, from the history and the assumed noise). */
  betweenRuns: number;
  /** `history` when two or more baseline runs measured it, `noise-floor` when only the assumption did (`none` in older comparisons). */
  betweenRunsSource: 'history' | 'noise-floor' | 'none';
  historyRuns: number;
  /** Blocks of the current run that were usable for this metric. */
  currentBlocks: number;
  /** Seconds of the current run set aside as a burst (far slower or faster than the rest of it). */
  burstSeconds?: number;
  /** The same in analysis blocks, as comparisons before `burstSeconds` gave it. */
  burstBlocks?: number;
  /** Length of the analysis blocks, seconds (chosen per step; see the README). */
  blockSeconds?: number;
  /** The run-to-run noise assumed before the history measures it (the prior's scale), analysis scale. */
  assumedNoise?: number;
  /** Whether this run had enough blocks to measure its own within-run noise. */
  currentWithinMeasured?: boolean;
}

/**
 * One gated metric of one step. `current` and `baseline` are in `unit`; `change`, `ci`,
 * `allowedChange` and `minimumDetectableChange` are in `changeUnit`: relative percent for p95
 * and throughput, percentage points for the error rate. Signs are natural (a throughput drop is
 * negative); `worseWhen` says which way is bad.
 */
export interface MetricComparison {
  metric: GatedMetric;
  worseWhen: 'higher' | 'lower';
  unit: 'ms' | 'req/s' | 'ratio';
  changeUnit: '%' | 'pp';
  verdict: Verdict;
  /** Counted towards the overall verdict (its step is counted). */
  gated: boolean;
  /** Why the verdict is inconclusive or no-baseline, in plain words. */
  reason?: string;
  current: number | null;
  /** Geometric mean over the history runs (arithmetic for the error rate). */
  baseline: number | null;
  change: number | null;
  /**
   * Confidence interval of the change. The bound on the better side is at the corrected (Hommel)
   * level used to declare a regression (`failLevel`); the bound on the worse side is at `alpha`,
   * used to declare a pass. Verdicts can always be read off the interval and the allowed change.
   */
  ci: { low: number; high: number } | null;
  /**
   * p95, where it was tested: the levels the change is computed from, ms, which `baseline` and
   * `current` (the whole runs' p95s) are not: the exp of the trimmed mean of a run's block log
   * p95s (bursts set aside), the baseline's averaged over its runs (the newest segment's, as the
   * test's); paired mode, the base arm's mean block log p95 and that plus the paired change.
   * `current / baseline − 1` is `change`. Absent where the p95 was not tested.
   */
  blockLevels?: { baseline: number; current: number };
  allowedChange: number;
  /** One-sided p-value for "worse than the baseline", before and after the multiple-test correction (Hommel). */
  pValue: number | null;
  adjustedPValue: number | null;
  failLevel: number | null;
  /** The smallest worsening this run would flag as a regression with the configured power. */
  minimumDetectableChange: number | null;
  noise: NoiseBreakdown | null;
  /**
   * The load generator fell behind (its self-check), and what it could have added is allowed
   * for, in `changeUnit`: `currentRun` is how far the interval's better end moved for the current
   * run (−12.5 for a p95 whose current value could be 12.5% too high), `baselineRun` how far the
   * worse end moved for paired mode's base arm. Absent when the generator kept up.
   */
  generatorAllowance?: { currentRun: number; baselineRun: number };
  /**
   * Stored baselines, p95 and throughput: the default branch's level moved within the history (a
   * change point, or a run that accepted a change), so the current run is compared with the `runs`
   * newest runs, from `at` on; `change` is that move, in `changeUnit` (+19 for a p95 19% slower).
   * The run-to-run noise is still measured on the whole history. Absent when the level held.
   */
  baselineMoved?: BaselineMove;
  /**
   * Paired mode, p95 and throughput: whether head moved against base during the run (the paired
   * differences' slope over the block pairs, and their lag-1 autocorrelation). A finding of its
   * own: it keeps a metric from passing, never turns a regression into anything else. Absent in
   * stored-baseline comparisons and where the metric had no paired test.
   */
  trend?: PairedTrend;
}

/** Where and how far the default branch's level moved (`MetricComparison.baselineMoved`). */
export interface BaselineMove {
  at: RunRef;
  cause: 'detected' | 'accepted';
  change: number;
  runs: number;
}

/** The drift of head against base over a paired run, for one metric. */
export interface PairedTrend {
  /**
   * What the fitted line of the paired differences moved by from the first block pair to the
   * last, in `changeUnit` and with the metric's natural sign (+20 for p95: head went from its
   * start to 20% slower relative to base).
   */
  changeOverRun: number;
  /** Two-sided p-value of "no slope" (t with pairs − 2 degrees of freedom). */
  slopePValue: number;
  /** Lag-1 autocorrelation of the differences once the slope is taken out. */
  lag1: number;
  /**
   * `trend`: a slope significant at 1% that moves the difference by more than the allowed change;
   * `wander`: differences that move together from pair to pair (lag-1 above 0.5 over 10 or more
   * pairs); `none`: neither.
   */
  finding: 'trend' | 'wander' | 'none';
}

/** p50 and p99: reported for context, never gated. */
export interface PercentileComparison {
  currentMs: number | null;
  baselineMs: number | null;
  changePct: number | null;
}

export interface StepComparison {
  /** The step's name, or `overall` for all steps together. */
  name: string;
  kind: 'overall' | 'step';
  /** Counted towards the overall verdict (`regression.steps`). */
  counted: boolean;
  verdict: Verdict;
  requests: { current: number; baseline: number | null };
  p50: PercentileComparison;
  p99: PercentileComparison;
  p95: MetricComparison;
  throughput: MetricComparison;
  errorRate: MetricComparison;
  /** p95 per block (null where a block had too few requests): current run and newest baseline run. */
  p95ByBlockMs: { blockMs: number; current: Array<number | null>; baseline: Array<number | null> | null };
  /** The tail of blocks, a finding beside the gated p95 (`block-tail.ts`); absent where too few blocks could say. Never gated. */
  tail?: BlockTail;
  /** Responses by status code and errors by kind: this run's, and the baseline runs' added up. Absent in older comparisons. Never gated. */
  outcomes?: { current: StepOutcomes; baseline: StepOutcomes | null };
  /**
   * Where the step's change went by the target's own `Server-Timing` components
   * (`server-timing-breakdown.ts`). Absent when none of its runs carried the header. Never gated.
   */
  serverTiming?: ServerTimingBreakdown;
}

/** A step's `Server-Timing` components, this run against the baseline runs: the p95s' point changes, and each change's interval (`interval`). */
export interface ServerTimingBreakdown {
  /** By how far they moved (absolute ms), the largest first. */
  components: ServerTimingChange[];
  /** This run's entries that were malformed, and dropped beyond the step's first 20 names. */
  malformed: number;
  dropped: number;
}

export interface ServerTimingChange {
  /** The metric name, as the target sent it (a token). */
  name: string;
  /** p95 of the component's dur in this run, ms; null when this run did not report it with a dur. */
  currentP95Ms: number | null;
  /** The median of the baseline runs' p95s of it, ms; null when none reported it with a dur. */
  baselineP95Ms: number | null;
  changeMs: number | null;
  changePct: number | null;
  /** The baseline runs that reported it with a dur. */
  baselineRuns: number;
  /**
   * The change tested as the step's p95 is (the trimmed mean of the blocks' p95s, within-run and
   * run-to-run noise); absent where it could not be (`untested` says why) and in older comparisons.
   */
  interval?: ServerTimingInterval;
  /** Why the component's change has no interval: no baseline run reported it, too few durations a block. */
  untested?: string;
}

/** A Server-Timing component's change with its interval, and its verdict when `regression.serverTiming` gates it. */
export interface ServerTimingInterval {
  /** The levels compared, ms: this run's trimmed mean of block p95s, and the baseline runs' (on the log scale). */
  currentMs: number;
  baselineMs: number;
  /** The change of that level, ms, with its interval (the better end at the corrected level, as the step's p95). */
  changeMs: number;
  ci: { lowMs: number; highMs: number };
  /** The same, percent of the baseline level. */
  changePct: number;
  ciPct: { low: number; high: number };
  /** `regression.serverTiming` gates this component: a regression fails the run. */
  gated: boolean;
  /** The allowed increase, percent, when gated. */
  allowedPct: number | null;
  /** The verdict, by the step's p95 rule; null when not gated. */
  verdict: 'pass' | 'regression' | 'improvement' | 'inconclusive' | null;
  /** Why a verdict is what it is, when it is held back (a far slower runner). */
  reason?: string;
  pValue: number;
  /** After the correction for every gated test; null when not gated. */
  adjustedPValue: number | null;
  /** The blocks of this run and the baseline runs behind the interval. */
  currentBlocks: number;
  historyRuns: number;
}

/** How a step's requests ended, as the records count them (`StepRecord.statuses` and `errorKinds`). */
export interface StepOutcomes {
  /** The runs added up: 1 for this run, the baseline runs used (the base arm in paired mode). */
  runs: number;
  requests: number;
  errors: number;
  /** Responses by HTTP status code ("500": 228), expected or not. */
  statuses: Record<string, number>;
  /** Errors by kind (`status`: an unexpected status); kinds with none are left out. */
  errorKinds: Record<string, number>;
}

/** How many of the current run's blocks had a p95 beyond the baseline's 95th percentile of block p95s, and whether that is more than chance. */
export interface BlockTail {
  blocksBeyond: number;
  /** The current run's usable blocks (analysis blocks with enough latencies for a p95). */
  blocks: number;
  /** The baseline's 95th percentile of block p95s, ms (paired mode: the base arm's). */
  baselineBlockP95Ms: number;
  /** The share of blocks expected beyond it were the current blocks like the baseline's (about 5%). */
  expectedShare: number;
  /** One-sided exact p-value (hypergeometric, `block-tail.ts`) of at least `blocksBeyond` of `blocks`. */
  pValue: number;
  /** Below α divided by the steps tested: more slow blocks than chance allows. */
  finding: boolean;
}

/** One k6-style threshold expression evaluated on the current run. */
export interface ThresholdResult {
  /** The selector as written, e.g. `http_req_duration{step:checkout}`. */
  metric: string;
  expression: string;
  step: string | null;
  /** `no-data` when the aggregate is undefined (no requests); it does not break the gate. */
  status: 'ok' | 'broken' | 'no-data';
  /** Why there is no data, where more can be said than "no requests": a Server-Timing name the target did not send. */
  noData?: string;
  observed: number | null;
  /** Unit of `observed`: ms for durations, a fraction for rates (failures, checks passed), req/s, iterations/s or a count. */
  unit: 'ms' | 'ratio' | 'req/s' | 'iter/s' | 'count';
  location?: SourceLocation;
  /**
   * This threshold (written with abortOnFail) stopped the run: when, in ms into the measured
   * period, and what it observed then. It is broken, whatever the shortened run's end shows.
   */
  abortedRun?: { atMs: number; observed: number };
}

export interface ComparisonSettings {
  alpha: number;
  power: number;
  allowed: { p95Pct: number; throughputPct: number; errorRatePoints: number };
  noiseFloorPct: number;
  minBlockRequests: number;
  minBlocks: number;
  /** Steps counted towards the verdict (`overall` is the total). */
  countedSteps: string[];
  /** How many tests the multiple-test correction (Hommel) spread alpha over. */
  correctedTests: number;
  /** Those tests by name (`checkout p95`), when known. */
  correctedTestNames?: string[];
}

export interface Comparison {
  schema: typeof COMPARISON_SCHEMA;
  verdict: Verdict;
  conclusion: Conclusion;
  profile: { id: string; hash: string };
  current: RunRef & { measuredMs: number; blockMs: number; interrupted: boolean };
  /** Baseline runs compared with (oldest first), and those left out with the reason. */
  history: { used: RunRef[]; skipped: Array<{ run: RunRef; reason: string }> };
  /**
   * The current run's generator (paired: both arms'). `addedMs`, when it fell behind: the latency
   * it could have added to a p95, which the intervals allow for (absent when it kept up, or when
   * an older record cannot say, and then nothing is concluded).
   */
  generator: { valid: boolean; reasons: string[]; addedMs?: number };
  settings: ComparisonSettings;
  /** `overall` first, then the steps in the run's order. */
  steps: StepComparison[];
  /**
   * Stored baselines: what the run's shape answers, against the same answers of the baseline runs
   * (`shape-tests.ts`, docs/analyze.md "Gated like the rest"): the sustainable rate of a rising
   * load, the recovery from each surge, the slow burn of a steady one. Each gated one is a test in
   * the family the multiple-test correction spans and counts towards the verdict. Absent when the
   * run's shape asks none of these questions (a plain load test), and in paired mode.
   */
  shapeTests?: ShapeComparison[];
  /**
   * Stored baselines: the target's own metrics (the profile's `metrics:` scrape) against the
   * baseline runs' (`target-metrics-tests.ts`): CPU-seconds per request (`cpu`) and the growth of
   * resident memory a minute (`memory`). Gated, and in the correction's family, only when
   * `regression.cpu` / `regression.memory` set them; a scrape that failed or is missing leaves them
   * untested and not gated (a note says why), so the latency gate stands alone. Absent when neither
   * this run nor a baseline run scraped the target.
   */
  targetMetrics?: ShapeComparison[];
  thresholds: ThresholdResult[];
  /** Plain sentences about what was and was not compared (no markdown: the renderer escapes). */
  notes: string[];
  /**
   * Paired mode: the base was measured in the same job, in alternating blocks (`history.used` is
   * that one base run). Absent in stored-baseline comparisons.
   */
  pairing?: PairingSummary;
  /**
   * The current run was not whole (stopped early, or far shorter than planned), so nothing it
   * measured was judged: the verdict is inconclusive (a broken threshold still fails). Absent
   * when the run was whole.
   */
  incomplete?: IncompleteRun;
  /**
   * Stored baselines: the current run's runner against the baseline runs', by the CPU-speed probe
   * each run records before its load (`runner-speed.ts`). Absent when the current run or every
   * baseline run has no probe. A runner flagged `slower` holds back the run's p95 and throughput
   * regressions as inconclusive (`heldRegressions`).
   */
  runnerSpeed?: RunnerSpeed;
  /**
   * Stored baselines: baseline runs whose own CPU probe was flagged against the baseline runs'
   * probes (a far slower runner), and whether they were left out of the baseline (its level and
   * spread; they are in `history.skipped` too) or kept because too few runs would remain. Absent
   * when no baseline run was flagged.
   */
  slowBaselineRuns?: SlowBaselineRuns;
  /**
   * What the current run's shape answers (`tailgate analyze`, docs/analyze.md): the breaking point
   * of a rising load, the recovery from each surge, the slow burn of a steady one, as they are;
   * `shapeTests` gates them against the baseline runs' (in paired mode: the head target's answers,
   * gated against the base's, `baseAnalysis`). Absent when the run answers none of them.
   */
  analysis?: Analysis;
  /** Paired mode: what the base target's shape answers, from the same run (`analysis` is the head's). Absent otherwise. */
  baseAnalysis?: Analysis;
  /**
   * Why the stored baseline could not be read (a damaged bundle, a token without `actions: read`
   * for artifacts), in plain words: the comparison then has no baseline runs, and its headline says
   * why rather than "no baseline yet". Absent when the baseline was read, or there was none.
   */
  baselineUnavailable?: string;
}

/** Baseline runs on far slower runners (`Comparison.slowBaselineRuns`). */
export interface SlowBaselineRuns {
  /** Each run, and how much longer the same work took on its runner than the baseline runs' median, percent. */
  runs: Array<{ run: RunRef; slowerPct: number }>;
  /** True: not compared with. False: kept, since leaving them out would leave fewer than 2 baseline runs. */
  leftOut: boolean;
}

/** The current run's runner speed against its baselines' (`Comparison.runnerSpeed`). */
export interface RunnerSpeed {
  /**
   * The current run's probe, and the median of the baseline runs' probes: loop iterations per
   * microsecond (higher is faster), of CPU time or of wall clock as `basis` says.
   */
  currentOpsPerMicrosecond: number;
  baselineOpsPerMicrosecond: number;
  /** Baseline runs compared with whose records carry a probe. */
  baselineRuns: number;
  /** The baseline probes' own spread: a robust standard deviation of their log, percent (0 with fewer than 3 runs). */
  baselineSpreadPct: number;
  /** How much longer the same work takes on the current run's runner, percent (+25: a quarter slower; negative: faster). */
  slowerPct: number;
  /**
   * The probe is more than 15% below the baselines' median and beyond three of their spreads: the
   * runner was far slower than the baseline's, so a regression may be the runner's, and is not judged.
   */
  slower: boolean;
  /**
   * p95 and throughput regressions the slower runner held back as inconclusive (0 when it was not
   * flagged or nothing regressed). Absent in comparisons made before the flag held verdicts back.
   */
  heldRegressions?: number;
  /**
   * `cpu-time`: the speeds are work per CPU-microsecond, which a busy machine leaves near its
   * value (a baseline run older than that counts by its wall-clock speed, a lower bound);
   * `wall-time`: the current record is older than that, and a busy machine reads as slower.
   * Absent in comparisons made before the probe timed CPU time (they were by the wall clock).
   */
  basis?: 'cpu-time' | 'wall-time';
  /** The share of a core the current run's probe got, percent. Absent when its record does not say. */
  cpuSharePct?: number;
  /** The median share of a core the baseline runs' probes got, percent. Absent when none says. */
  baselineCpuSharePct?: number;
  /** The current probe got less than 80% of a core: the machine was busy (not a slower runner; nothing is held back for it). Absent with `cpuSharePct`. */
  busy?: boolean;
}

/** Why a run is not judged: how it ended, what it measured and what was planned (ms). */
export interface IncompleteRun {
  /** `interrupted`: Ctrl-C or SIGTERM; `aborted`: an abortOnFail threshold; `short`: under 80% of the planned measured time. */
  cause: 'interrupted' | 'aborted' | 'short';
  measuredMs: number;
  /** The measured time planned, when known (the profile's, a paired schedule's, or the baseline runs'). */
  plannedMs: number | null;
}

export interface PairingSummary {
  /** Where the base arm's load went. */
  baselineTarget: string;
  /** Block pairs measured (one block of each arm). */
  pairs: number;
  blockSeconds: number;
  settleSeconds: number;
  order: 'abba' | 'random';
  /** A sequential run (the default): when and why it stopped. Absent for a fixed-length run and a run stopped before any look decided. */
  sequential?: SequentialSummary;
}

/**
 * When a sequential paired run was decided, and why: "decided after 31 s of at most 60 s". Seconds
 * are the run's own (warm-up included, settles included), from its start to the deciding look.
 */
export interface SequentialSummary {
  decidedAfterSeconds: number;
  maxSeconds: number;
  /** It stopped before its most (false: the last look, at the most, decided). */
  stoppedEarly: boolean;
  /** A regression beyond doubt, twice the allowance ruled out, or the most reached. */
  decision: 'regression' | 'ruled-out' | 'maximum';
  reason: string;
  /** The deciding look (1-based) of the planned looks, its block pairs of the most, and its nominal one-sided level. */
  look: number;
  plannedLooks: number;
  pairs: number;
  maxPairs: number;
  level: number;
}

/**
 * One answer of the run's shape against the baseline runs' answers (`Comparison.shapeTests`), with
 * the same two bars as a metric: beyond the allowance and significant at the corrected level.
 * `current` and `baseline` are in `unit`; `change`, `ci`, `allowedChange` and
 * `minimumDetectableChange` in `changeUnit`, with their natural sign (a capacity drop is negative).
 */
export interface ShapeComparison {
  /**
   * `capacity`: the sustainable rate; `recovery`: the time to recover from one surge; `trend`: the slow burn.
   * In `Comparison.targetMetrics`: `cpu`, the target's CPU-seconds per request; `memory`, its resident memory's growth a minute.
   */
  question: 'capacity' | 'recovery' | 'trend' | 'cpu' | 'memory';
  /** As the report and the corrected tests name it: `capacity`, `recovery from surge 1`, `slow burn`. */
  name: string;
  worseWhen: 'higher' | 'lower';
  verdict: Verdict;
  /** Counted towards the overall verdict (and, when tested, in the multiple-test correction). */
  gated: boolean;
  /** Why the verdict is inconclusive, not gated or not tested, in plain words. */
  reason?: string;
  /** req/s (capacity), s (recovery), %/min (trend: p95's growth a minute; memory: its growth a minute), s/req (cpu: CPU-seconds per request). */
  unit: 'req/s' | 's' | '%/min' | 's/req';
  /** `%`: relative change (capacity, recovery); `%/min`: growth of p95 a minute beyond the baseline's (trend). */
  changeUnit: '%' | '%/min';
  current: number | null;
  /** The baseline runs' answers: their geometric mean (the trend: the growth of their mean log slope). */
  baseline: number | null;
  /** Baseline runs whose analysis answered the question. */
  baselineRuns: number;
  change: number | null;
  /** Better end at the corrected level (`failLevel`), worse end at alpha, as a metric's. */
  ci: { low: number; high: number } | null;
  allowedChange: number;
  pValue: number | null;
  adjustedPValue: number | null;
  failLevel: number | null;
  minimumDetectableChange: number | null;
  /** Standard deviations on the analysis scale (natural logs; the trend: log slope a minute), as `NoiseBreakdown`'s; `none`: paired mode, head and base from one run. */
  noise: { standardError: number; withinCurrent: number; withinBaseline: number; betweenRuns: number; betweenRunsSource: 'history' | 'noise-floor' | 'none' } | null;
}
