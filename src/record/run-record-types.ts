/**
 * The run record, `tailgate.run/v1`: what one run of a profile measured.
 * A contract (see README "Run record"): later versions read it, shards merge it exactly.
 * Percentiles live in `summary` for people and scripts, but the truth is the histograms.
 */

export const RUN_SCHEMA = 'tailgate.run/v1';

/** Transport and protocol failures, counted by kind. `status` is an unexpected HTTP status. */
export const ERROR_KINDS = ['timeout', 'refused', 'reset', 'dns', 'tls', 'status', 'capture', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Latency from the intended start (open model, no coordinated omission) or the actual start (closed model). */
export type LatencyOrigin = 'intended-start' | 'actual-start';

/** One HDR histogram of latencies in integer microseconds, encoded with hdr-histogram-js (compressed, base64). */
export type EncodedHistogram = string;

/** Counts and latencies for one block of measured time (default 5 s). */
export interface BlockRecord {
  /** HDR histogram of the block's latencies in microseconds. */
  histogram: EncodedHistogram;
  /** Requests whose intended start fell in this block and completed (any status, timeouts included). */
  requests: number;
  /** Of those, how many were errors of any kind. */
  errors: number;
}

/** Everything measured for one step (or, as `overall`, for all steps together). */
export interface StepRecord {
  /** HDR histogram over the whole measured period, microseconds. */
  histogram: EncodedHistogram;
  requests: number;
  errors: number;
  /** Responses by HTTP status code ("200": 1234). */
  statuses: Record<string, number>;
  /** Errors by kind; kinds with no errors are omitted. */
  errorKinds: Partial<Record<ErrorKind, number>>;
  /** One entry per block, in time order, aligned with `RunRecord.blocks`. */
  blocks: BlockRecord[];
  /**
   * Requests still in flight when a graceful stop expired or a stop (Ctrl-C, SIGTERM) cut them off:
   * not in `requests` or `errors`, since the target never had its full time to answer. Absent when
   * none were (and in records older than it).
   */
  interrupted?: number;
  /**
   * What the step's responses said in `Server-Timing` headers (W3C Server Timing), where the
   * target says its time went. Absent when no response of the step carried the header (and in
   * `overall`, and in records older than it).
   */
  serverTiming?: ServerTimingRecord;
}

/** A step's `Server-Timing` components over the measured period (see `server-timing-tally.ts`). */
export interface ServerTimingRecord {
  /** Responses of the measured period that carried the header. */
  responses: number;
  /** Entries that broke the header's grammar, skipped. */
  malformed: number;
  /** Entries of names beyond the step's first 20 (or longer than 64 characters), counted, not recorded. */
  dropped: number;
  /** By metric name. */
  components: Record<string, ServerTimingComponent>;
}

export interface ServerTimingComponent {
  /** HDR histogram of the component's `dur` over the measured period, microseconds. */
  histogram: EncodedHistogram;
  /** Entries of this name, with a `dur` or without (those are in no histogram). */
  entries: number;
  /** The first non-empty `desc` the target gave for it, at most 200 characters. */
  description?: string;
  /** One histogram of `dur` per block, aligned with `RunRecord.blocks`; they add up to `histogram`. */
  blocks: EncodedHistogram[];
}

/** A step's (or all steps') results over the measured period, without blocks. */
export interface StepTotals {
  /** HDR histogram over the measured period, microseconds. */
  histogram: EncodedHistogram;
  /**
   * The latencies of the requests whose status was expected (k6's `{expected_response:true}`:
   * those `errors` does not count), microseconds. Absent in older records.
   */
  expected?: EncodedHistogram;
  /**
   * Time from sending each request to its response's headers (k6's `http_req_waiting`), of the
   * requests that got a response, microseconds. Absent in older records.
   */
  waiting?: EncodedHistogram;
  /**
   * The other phases of the same requests as k6 names them (record/request-phases.ts:
   * http_req_blocked, _connecting, _tls_handshaking, _sending, _receiving), microseconds. Absent
   * in older records.
   */
  blocked?: EncodedHistogram;
  connecting?: EncodedHistogram;
  tlsHandshaking?: EncodedHistogram;
  sending?: EncodedHistogram;
  receiving?: EncodedHistogram;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  errorKinds: Partial<Record<ErrorKind, number>>;
}

/** What one scenario's requests measured: its share of the run's `overall` and `steps`. */
export interface ScenarioResults {
  overall: StepTotals;
  /** Only the steps this scenario's journeys have. */
  steps: Record<string, StepTotals>;
}

export interface ScenarioRecord {
  /** `external`: the run was made by another tool and imported (`meta.source` says which), its executor unknown. */
  executor: 'constant-vus' | 'ramping-vus' | 'constant-arrival-rate' | 'ramping-arrival-rate' | 'shared-iterations' | 'per-vu-iterations' | 'external';
  model: 'open' | 'closed';
  latencyFrom: LatencyOrigin;
  /** Iterations completed (measured and warm-up). */
  iterations: number;
  /** Open model: iterations the schedule asked for, and those that could not start (no free VU). */
  intendedIterations?: number;
  droppedIterations?: number;
  /** Open model: iterations per second asked for and achieved over the scenario's run. */
  intendedRate?: number;
  achievedRate?: number;
  /** The most VUs this scenario had at once. */
  maxVUs: number;
  /**
   * Iterations cut short, not in `iterations`: still running when the scenario's gracefulStop (or
   * a VU's gracefulRampDown) expired, or when the run was stopped. Absent in older records.
   */
  interruptedIterations?: number;
  /** This scenario's requests alone, per step and overall (k6's `{scenario:NAME}`). Absent in older records. */
  results?: ScenarioResults;
  /**
   * How long this scenario's iterations took (k6's `iteration_duration`), microseconds: those that
   * began in the measured period and ran to their end; its count is k6's `iterations` of that
   * period. Absent in older records.
   */
  iterationDurations?: EncodedHistogram;
  /**
   * Group name -> how long each of this scenario's iterations spent in it (k6's
   * `group_duration`), microseconds: from the group's first request's start to its last one's end,
   * in iterations that began in the measured period and finished the group. Absent when the
   * profile has no groups, and in older records.
   */
  groupDurations?: Record<string, EncodedHistogram>;
}

/** How the load generator itself fared; a saturated generator makes the run invalid. */
export interface GeneratorRecord {
  valid: boolean;
  /** Why the run is invalid, in plain words; empty when valid. */
  reasons: string[];
  /** Event-loop delay, milliseconds. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Requests that started more than `lateThresholdMs` after they were due. */
  lateStarts: number;
  lateThresholdMs: number;
  /** The generator process's CPU over the run, as a fraction of one core (1 = one core busy). */
  cpuCores: number;
  /** Peak resident set size, bytes. */
  maxRssBytes: number;
  /** How far the late starts could have moved the gate's statistics. Absent in older records. */
  lateness?: LatenessEffect;
}

/**
 * The most the generator's late starts could have moved the statistics the gate uses, at 95%
 * confidence, against the limit (a part of the allowed change) beyond which the run is invalid.
 */
export interface LatenessEffect {
  /** Requests started, and the late ones' total and largest lateness, milliseconds. */
  starts: number;
  lateTotalMs: number;
  lateMaxMs: number;
  /** Upper confidence bound of the fraction of late starts. */
  lateFractionUpper: number;
  /** How much p95 could have been raised, and throughput lowered, percent. */
  p95Pct: number;
  throughputPct: number;
  /** Beyond these (percent) the run is invalid, given enough late starts to tell. */
  limitP95Pct: number;
  limitThroughputPct: number;
}

export interface BlockWindow {
  /** Offsets from the start of the measured period, milliseconds. */
  startMs: number;
  endMs: number;
}

export interface RunMeta {
  profile: { id: string; hash: string };
  /** The target origin (and base path) the load went to. */
  target: string;
  commit?: string;
  ref?: string;
  runId?: string;
  runner?: string;
  /** The machine the run measured on, and its speed on a probe taken before the load. Absent in older records and merges of shards. */
  runnerFingerprint?: RunnerFingerprint;
  tool: { name: 'tailgate'; version: string };
  /** ISO times of the whole run (warm-up included). */
  startedAt: string;
  endedAt: string;
  /** Warm-up at the start of the run, excluded from every statistic. */
  warmupMs: number;
  /** The measured period: from the end of warm-up to the end of the run. */
  measuredMs: number;
  blockMs: number;
  /** The run was stopped early (Ctrl-C, SIGTERM); what was measured until then is kept. */
  interrupted: boolean;
  /**
   * The run was stopped early by a threshold written with `abortOnFail: true` (k6's object form):
   * its selector and expression, what it observed, and when, in ms from the start of the measured
   * period (which ends there). Absent when no threshold stopped the run.
   */
  aborted?: { metric: string; expression: string; observed: number; atMs: number };
  /**
   * The seed the run's random choices were drawn from (`--seed` or the profile's `seed`, else a
   * fresh one): the same seed repeats them. Absent in older records and in merges of shards that
   * ran with different seeds.
   */
  seed?: number;
  /** Present when this record is one shard (`index` of `count`, 1-based) or a merge of shards. */
  shard?: { index: number; count: number };
  /**
   * How this run joined the default branch's baseline, when not as one more run of the same
   * level: `accepted`, a maintainer accepted a change of level (a `Tailgate-Accept:` trailer on
   * the pushed commit), so this run starts a new segment of the history; `reset`, the baseline was
   * reset to this run alone. Absent in older records and ordinary runs.
   */
  baseline?: { newSegment: 'accepted' | 'reset' };
  mergedFrom?: number;
  /**
   * Present when the run was made by another load tool and imported (`tailgate import`): which
   * tool and file format, and what tailgate could not check. Absent in runs tailgate made.
   */
  source?: RunSource;
}

/** Tools whose results `tailgate import` reads. */
export const SOURCE_TOOLS = ['k6', 'jmeter', 'locust', 'gatling', 'artillery'] as const;
/** Their file formats: k6 `--out json`, k6 `--out csv`, JMeter's JTL CSV, Locust's `--csv-full-history`, Gatling's text simulation.log, Artillery's `--output` JSON report. */
export const SOURCE_FORMATS = ['k6-json', 'k6-csv', 'jmeter-csv', 'locust-history', 'gatling-log', 'artillery-json'] as const;

/** Where an imported run came from (`src/import/`), and how faithfully its file kept it. */
export interface RunSource {
  tool: (typeof SOURCE_TOOLS)[number];
  /** The tool's version, where the file says it. */
  version?: string;
  format: (typeof SOURCE_FORMATS)[number];
  /**
   * Always false: tailgate's generator self-check (event loop, CPU, late starts) did not run, so
   * a saturated generator of the other tool goes unseen; `generator.valid` says only that tailgate
   * found nothing against it.
   */
  generatorChecked: false;
  /** Whether the tool timed latency from each request's intended start or its actual start. */
  latencyFrom: LatencyOrigin;
  /** `per-request`: every request's latency was in the file; `aggregate`: only percentiles per window. */
  fidelity: 'per-request' | 'aggregate';
  /** How finely the file timed when each request ran, milliseconds (1000: whole seconds). */
  timeResolutionMs: number;
  /** Lines of the file that could not be read and were skipped. */
  malformedLines: number;
}

/**
 * The machine a run measured on (`src/run/runner-fingerprint.ts`): shared runners of one label
 * differ, and a comparison can tell a runner far slower than its baselines' by the probe.
 */
export interface RunnerFingerprint {
  /** The first CPU's model as the OS names it ("AMD EPYC 7763 64-Core Processor"), or "unknown". */
  cpuModel: string;
  /** Logical cores this process may use. */
  logicalCores: number;
  totalMemoryBytes: number;
  /**
   * A CPU-speed probe taken before the load: a fixed loop of integer arithmetic, timed several
   * times; the median repeat's speed in loop iterations per microsecond (higher is faster). Only
   * comparable between records of tailgate versions with the same probe. Absent when it could not be timed.
   */
  probe?: RunnerProbe;
  /** The machine's load just before the probe, as the OS reported it (Linux, where readable). Absent elsewhere and in older records. */
  load?: MachineLoad;
}

/** The CPU-speed probe of a runner fingerprint (`RunnerFingerprint.probe`). */
export interface RunnerProbe {
  /** The median repeat's loop iterations per microsecond of wall clock: the CPU's speed times the share of it the probe got. */
  opsPerMicrosecond: number;
  repeats: number;
  /**
   * Loop iterations per microsecond of CPU time the process used (the median of the fastest
   * repeats): the CPU's own speed, which a busy machine leaves near its value. Absent in older
   * records and where the OS's CPU clock is too coarse to time a repeat.
   */
  opsPerCpuMicrosecond?: number;
  /** The share of a core the probe got, percent: the CPU time the process used over the wall time of the timed repeats. Absent with `opsPerCpuMicrosecond`. */
  cpuSharePct?: number;
  /** Times the OS took the CPU from the process during the probe. Absent in older records. */
  involuntarySwitches?: number;
}

/** A machine's load as the OS reports it (Linux): each field absent where it could not be read. */
export interface MachineLoad {
  /** `/proc/loadavg`: runnable tasks, averaged over the last minute. */
  loadAverage1m?: number;
  /** `/proc/pressure/cpu`: the share of the last 10 s in which some runnable task waited for a CPU, percent. */
  cpuPressureSomePct?: number;
}

/** Percentiles in milliseconds, recomputed from histograms for people and scripts. */
export interface SummaryMetrics {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The load's shape over time, per scenario, in slices of `meta.blockMs`: first the warm-up's
 * (counted back from its end, so the first may be shorter), then one per entry of
 * `RunRecord.blocks`. Absent in records older than it and in the arms of a paired record.
 */
export interface LoadShape {
  /** Slices before the measured period: ceil(meta.warmupMs / meta.blockMs). */
  warmupSlices: number;
  scenarios: Record<string, ScenarioShape>;
}

/** A level the profile asked for at a time: VUs (closed model) or iterations per second (open model). */
export interface PlannedLevel {
  /** Offset from the start of the run (warm-up included), milliseconds. */
  atMs: number;
  target: number;
}

export interface ScenarioShape {
  /**
   * The load asked for: the scenario's start and its level there, then each stage's end and the
   * level it ramped to (linear in between, as k6 ramps). Empty for an executor with no such curve.
   */
  planned: PlannedLevel[];
  /** Mean VUs running an iteration in each slice (time-weighted). */
  vus: number[];
  /** Open model: iterations due in each slice (the arrival rate asked), and of those, dropped (no free VU). */
  due?: number[];
  dropped?: number[];
}

/**
 * What the target's Prometheus endpoint said during the run (`src/run/metrics-scrape.ts`): each
 * series' last value in each block. A scrape that failed is counted and its reason kept, never fatal.
 */
export interface TargetMetricsRecord {
  /** The endpoint scraped, and the time asked between scrapes, milliseconds. */
  url: string;
  intervalMs: number;
  /** Scrapes made over the whole run (warm-up included), and of those, how many failed. */
  scrapes: number;
  failed: number;
  /** What went wrong, in plain words (a failed scrape, a name not exposed, a value not finite): at most 10. */
  warnings: string[];
  /** By series (a metric name and its labels, as Prometheus writes them): at most 20. */
  series: Record<string, TargetSeries>;
}

export interface TargetSeries {
  type: 'counter' | 'gauge' | 'untyped';
  /** The last value scraped before the measured period began (in the warm-up, or at the start). */
  start?: TargetSample;
  /** The last value scraped in each block, aligned with `RunRecord.blocks`; null when no scrape of the block had it. */
  blocks: Array<TargetSample | null>;
}

export interface TargetSample {
  /** When it was scraped, milliseconds from the start of the measured period (negative before it). */
  atMs: number;
  value: number;
}

/**
 * The setup steps (k6's `setup()`), run once before the load: measured apart, in no histogram,
 * count or block of the load, so they never gate. Absent when the profile has none.
 */
export interface SetupRecord {
  /** How long the setup took, from its first request to the end of its last step, milliseconds. */
  durationMs: number;
  /** Each setup step in order, as it answered (a run whose setup failed has no record). */
  steps: Array<{ name: string; status: number; latencyMs: number }>;
}

/**
 * The teardown steps (k6's `teardown()`), run once after the load, recorded as the setup is: apart
 * from every statistic of the load. A step that failed ended the teardown: `failed` names it.
 * Absent when the profile has none, and in older records.
 */
export interface TeardownRecord extends SetupRecord {
  failed?: { step: string; message: string };
}

/** One check of the `checks` metric: requests of the measured period that passed it and failed it. */
export interface CheckRecord {
  passes: number;
  fails: number;
}

export interface RunRecord {
  schema: typeof RUN_SCHEMA;
  meta: RunMeta;
  scenarios: Record<string, ScenarioRecord>;
  setup?: SetupRecord;
  teardown?: TeardownRecord;
  /**
   * The `checks` metric by check name (a step's checks, and `capture NAME` for each capture).
   * Absent when the profile has none, and in older records.
   */
  checks?: Record<string, CheckRecord>;
  generator: GeneratorRecord;
  blocks: BlockWindow[];
  overall: StepRecord;
  steps: Record<string, StepRecord>;
  /** The load's shape over time; absent in older records. */
  loadShape?: LoadShape;
  /** The target's own metrics, scraped beside the load (the profile's `metrics`). Absent when it has none, and in older records. */
  targetMetrics?: TargetMetricsRecord;
  summary: { overall: SummaryMetrics; steps: Record<string, SummaryMetrics> };
}
