import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import { analysisSchema } from '../analyze/analysis-schema.js';
import { MAX_BLOCKS, MAX_STEPS } from '../record/record-schema.js';
import {
  COMPARISON_SCHEMA,
  type BaselineMove,
  type Comparison,
  type MetricComparison,
  type NoiseBreakdown,
  type PairedTrend,
  type PairingSummary,
  type ComparisonSettings,
  type IncompleteRun,
  type PercentileComparison,
  type RunRef,
  type RunnerSpeed,
  type SequentialSummary,
  type ServerTimingBreakdown,
  type ServerTimingChange,
  type ServerTimingInterval,
  type ShapeComparison,
  type SlowBaselineRuns,
  type StepComparison,
  type StepOutcomes,
  type ThresholdResult,
} from './comparison-types.js';

/**
 * The JSON schema of a comparison (`tailgate.comparison/v1`, the type in comparison-types.ts):
 * every field typed, every number finite and in the range tailgate can write, every text and
 * list bounded, every choice one of its values. A comparison that crossed a trust boundary (a
 * fork's report artifact) is checked with it before anything renders a field of it. Each object's
 * schema is built by `fields<T>()`, so a field added to a type does not compile until it is here.
 */

/** `overall` and at most as many steps as a run record holds. */
export const MAX_COMPARISON_STEPS = MAX_STEPS + 1;
export const MAX_TEXT_CHARS = 2000;
const MAX_NAME_CHARS = 200;
const MAX_THRESHOLDS = 1000;
const MAX_NOTES = 200;
const MAX_HISTORY_RUNS = 200;
/** A step's Server-Timing names: 20 in this run, and as many in each baseline run at most. */
const MAX_SERVER_TIMING_NAMES = 20 * (MAX_HISTORY_RUNS + 1);
/** The longest run: an hour (the profile's cap) plus slack for stopping, as in the run record. */
const MAX_MS = 4_500_000;
/** Any measured value or change: finite and far beyond what a run measures. */
const LIMIT = 1e15;

/** The fields of `T` that may be absent. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * The schema of an object of type `T`: a schema for each of its fields (all of them, no others),
 * every field required but those named optional, nothing else allowed.
 */
function fields<T>(properties: { [K in keyof Required<T>]: SchemaObject }, optional: ReadonlyArray<OptionalKeys<T>> = [], extra: { nullable?: true } = {}): SchemaObject {
  const required = Object.keys(properties).filter((key) => !(optional as readonly string[]).includes(key));
  return { type: 'object', additionalProperties: false, required, properties, ...extra };
}

const text = (maxLength = MAX_TEXT_CHARS) => ({ type: 'string', maxLength }) as const;
const name = { type: 'string', minLength: 1, maxLength: MAX_NAME_CHARS, not: { enum: ['__proto__', 'constructor', 'prototype'] } } as const;
const value = { type: 'number', minimum: -LIMIT, maximum: LIMIT } as const;
const nullableValue = { ...value, nullable: true } as const;
const probability = { type: 'number', minimum: 0, maximum: 1, nullable: true } as const;
const time = { type: 'string', maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$' } as const;
const wholeNumber = (maximum: number) => ({ type: 'integer', minimum: 0, maximum }) as const;
const VERDICTS = ['pass', 'regression', 'improvement', 'inconclusive', 'no-baseline'] as const;

const runRef = fields<RunRef>(
  { commit: text(MAX_NAME_CHARS), ref: text(MAX_NAME_CHARS), runId: text(MAX_NAME_CHARS), startedAt: time },
  ['commit', 'ref', 'runId'],
);

const noise = fields<NoiseBreakdown>(
  {
    standardError: { type: 'number', minimum: 0, maximum: 1e6 },
    degreesOfFreedom: { type: 'number', minimum: 0, maximum: 1e9, nullable: true },
    withinCurrent: { type: 'number', minimum: 0, maximum: 1e6 },
    withinBaseline: { type: 'number', minimum: 0, maximum: 1e6 },
    betweenRuns: { type: 'number', minimum: 0, maximum: 1e6 },
    betweenRunsSource: { type: 'string', enum: ['history', 'noise-floor', 'none'] },
    historyRuns: wholeNumber(10_000),
    currentBlocks: wholeNumber(10_000_000),
    burstSeconds: { type: 'number', minimum: 0, maximum: MAX_MS / 1000 },
    burstBlocks: wholeNumber(10_000_000),
    blockSeconds: { type: 'number', exclusiveMinimum: 0, maximum: MAX_MS / 1000 },
    assumedNoise: { type: 'number', minimum: 0, maximum: 1e6 },
    currentWithinMeasured: { type: 'boolean' },
  },
  ['burstSeconds', 'burstBlocks', 'blockSeconds', 'assumedNoise', 'currentWithinMeasured'],
  { nullable: true },
);

const trend = fields<PairedTrend>({
  changeOverRun: value,
  slopePValue: { type: 'number', minimum: 0, maximum: 1 },
  lag1: { type: 'number', minimum: -1, maximum: 1 },
  finding: { type: 'string', enum: ['trend', 'wander', 'none'] },
});

/** Each gated metric has its own slot, unit and direction: a p95 slot holds a p95 in ms. */
function metric(kind: MetricComparison['metric'], unit: MetricComparison['unit'], changeUnit: MetricComparison['changeUnit'], worseWhen: MetricComparison['worseWhen']): SchemaObject {
  return fields<MetricComparison>(
    {
      metric: { type: 'string', const: kind },
      worseWhen: { type: 'string', const: worseWhen },
      unit: { type: 'string', const: unit },
      changeUnit: { type: 'string', const: changeUnit },
      verdict: { type: 'string', enum: VERDICTS },
      gated: { type: 'boolean' },
      reason: text(),
      current: nullableValue,
      baseline: nullableValue,
      change: nullableValue,
      ci: fields<{ low: number; high: number }>({ low: value, high: value }, [], { nullable: true }),
      blockLevels: fields<NonNullable<MetricComparison['blockLevels']>>({ baseline: value, current: value }),
      allowedChange: value,
      pValue: probability,
      adjustedPValue: probability,
      failLevel: probability,
      minimumDetectableChange: nullableValue,
      noise,
      generatorAllowance: fields<NonNullable<MetricComparison['generatorAllowance']>>({ currentRun: value, baselineRun: value }),
      trend,
      baselineMoved: fields<BaselineMove>({
        at: runRef,
        cause: { type: 'string', enum: ['detected', 'accepted'] },
        change: value,
        runs: wholeNumber(MAX_HISTORY_RUNS),
      }),
    },
    ['reason', 'blockLevels', 'generatorAllowance', 'trend', 'baselineMoved'],
  );
}

const percentile = fields<PercentileComparison>({ currentMs: nullableValue, baselineMs: nullableValue, changePct: nullableValue });

const blockP95s = { type: 'array', maxItems: MAX_BLOCKS, items: { type: 'number', minimum: 0, maximum: LIMIT, nullable: true } } as const;

/** Counts keyed as the run record keys them: three-digit status codes, lower-case kind names. */
const countsBy = (pattern: string, maxProperties: number): SchemaObject => ({
  type: 'object',
  maxProperties,
  propertyNames: { type: 'string', pattern },
  additionalProperties: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
});

const outcomes = fields<StepOutcomes>({
  runs: wholeNumber(MAX_HISTORY_RUNS + 1),
  requests: wholeNumber(Number.MAX_SAFE_INTEGER),
  errors: wholeNumber(Number.MAX_SAFE_INTEGER),
  statuses: countsBy('^[1-9][0-9]{2}$', 900),
  errorKinds: countsBy('^[a-z][a-z-]{0,39}$', 50),
});

const step = fields<StepComparison>({
  name,
  kind: { type: 'string', enum: ['overall', 'step'] },
  counted: { type: 'boolean' },
  verdict: { type: 'string', enum: VERDICTS },
  requests: fields<StepComparison['requests']>({
    current: { type: 'number', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    baseline: { type: 'number', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, nullable: true },
  }),
  p50: percentile,
  p99: percentile,
  p95: metric('p95', 'ms', '%', 'higher'),
  throughput: metric('throughput', 'req/s', '%', 'lower'),
  errorRate: metric('errorRate', 'ratio', 'pp', 'higher'),
  p95ByBlockMs: fields<StepComparison['p95ByBlockMs']>({
    blockMs: { type: 'number', exclusiveMinimum: 0, maximum: MAX_MS },
    current: blockP95s,
    baseline: { ...blockP95s, nullable: true },
  }),
  tail: fields<NonNullable<StepComparison['tail']>>({
    blocksBeyond: wholeNumber(10_000_000),
    blocks: wholeNumber(10_000_000),
    baselineBlockP95Ms: { type: 'number', minimum: 0, maximum: LIMIT },
    expectedShare: { type: 'number', minimum: 0, maximum: 1 },
    pValue: { type: 'number', minimum: 0, maximum: 1 },
    finding: { type: 'boolean' },
  }),
  outcomes: fields<NonNullable<StepComparison['outcomes']>>({ current: outcomes, baseline: { ...outcomes, nullable: true } }),
  serverTiming: fields<ServerTimingBreakdown>({
    components: {
      type: 'array',
      maxItems: MAX_SERVER_TIMING_NAMES,
      items: fields<ServerTimingChange>({
        name: { type: 'string', pattern: "^[-!#$%&'*+.^_`|~0-9A-Za-z]{1,64}$" },
        currentP95Ms: nullableValue,
        baselineP95Ms: nullableValue,
        changeMs: nullableValue,
        changePct: nullableValue,
        baselineRuns: wholeNumber(MAX_HISTORY_RUNS),
        interval: fields<ServerTimingInterval>(
          {
            currentMs: value,
            baselineMs: value,
            changeMs: value,
            ci: fields<ServerTimingInterval['ci']>({ lowMs: value, highMs: value }),
            changePct: value,
            ciPct: fields<ServerTimingInterval['ciPct']>({ low: value, high: value }),
            gated: { type: 'boolean' },
            allowedPct: nullableValue,
            verdict: { type: 'string', enum: ['pass', 'regression', 'improvement', 'inconclusive', null], nullable: true },
            reason: text(),
            pValue: probability,
            adjustedPValue: probability,
            currentBlocks: wholeNumber(MAX_BLOCKS),
            historyRuns: wholeNumber(MAX_HISTORY_RUNS),
          },
          ['reason'],
        ),
        untested: text(),
      }, ['interval', 'untested']),
    },
    malformed: wholeNumber(Number.MAX_SAFE_INTEGER),
    dropped: wholeNumber(Number.MAX_SAFE_INTEGER),
  }),
}, ['tail', 'outcomes', 'serverTiming']);

const threshold = fields<ThresholdResult>(
  {
    metric: { type: 'string', minLength: 1, maxLength: 300 },
    expression: { type: 'string', minLength: 1, maxLength: 300 },
    step: { ...name, nullable: true },
    status: { type: 'string', enum: ['ok', 'broken', 'no-data'] },
    observed: nullableValue,
    unit: { type: 'string', enum: ['ms', 'ratio', 'req/s', 'iter/s', 'count'] },
    location: fields<NonNullable<ThresholdResult['location']>>({ file: text(1000), line: wholeNumber(10_000_000), column: wholeNumber(10_000_000) }),
    abortedRun: fields<NonNullable<ThresholdResult['abortedRun']>>({ atMs: { type: 'number', minimum: 0, maximum: MAX_MS }, observed: value }),
    noData: text(),
  },
  ['location', 'abortedRun', 'noData'],
);

const pairing = fields<PairingSummary>({
  baselineTarget: text(),
  pairs: wholeNumber(1_000_000),
  blockSeconds: { type: 'number', exclusiveMinimum: 0, maximum: MAX_MS / 1000 },
  settleSeconds: { type: 'number', minimum: 0, maximum: MAX_MS / 1000 },
  order: { type: 'string', enum: ['abba', 'random'] },
  sequential: fields<SequentialSummary>({
    decidedAfterSeconds: { type: 'number', minimum: 0, maximum: MAX_MS / 1000 },
    maxSeconds: { type: 'number', minimum: 0, maximum: MAX_MS / 1000 },
    stoppedEarly: { type: 'boolean' },
    decision: { type: 'string', enum: ['regression', 'ruled-out', 'maximum'] },
    reason: text(),
    look: wholeNumber(1_000_000),
    plannedLooks: wholeNumber(1_000_000),
    pairs: wholeNumber(1_000_000),
    maxPairs: wholeNumber(1_000_000),
    level: { type: 'number', minimum: 0, maximum: 1 },
  }),
}, ['sequential']);

const list = (items: SchemaObject, maxItems: number): SchemaObject => ({ type: 'array', maxItems, items });

/** An answer of the run's shape against the baseline runs' (`Comparison.shapeTests`). */
const shapeTest = fields<ShapeComparison>(
  {
    question: { type: 'string', enum: ['capacity', 'recovery', 'trend', 'cpu', 'memory'] },
    name: text(MAX_NAME_CHARS),
    worseWhen: { type: 'string', enum: ['higher', 'lower'] },
    verdict: { type: 'string', enum: VERDICTS },
    gated: { type: 'boolean' },
    reason: text(),
    unit: { type: 'string', enum: ['req/s', 's', '%/min', 's/req'] },
    changeUnit: { type: 'string', enum: ['%', '%/min'] },
    current: nullableValue,
    baseline: nullableValue,
    baselineRuns: wholeNumber(MAX_HISTORY_RUNS),
    change: nullableValue,
    ci: fields<NonNullable<ShapeComparison['ci']>>({ low: value, high: value }, [], { nullable: true }),
    allowedChange: value,
    pValue: probability,
    adjustedPValue: probability,
    failLevel: probability,
    minimumDetectableChange: nullableValue,
    noise: fields<NonNullable<ShapeComparison['noise']>>(
      {
        standardError: { type: 'number', minimum: 0, maximum: LIMIT },
        withinCurrent: { type: 'number', minimum: 0, maximum: LIMIT },
        withinBaseline: { type: 'number', minimum: 0, maximum: LIMIT },
        betweenRuns: { type: 'number', minimum: 0, maximum: LIMIT },
        betweenRunsSource: { type: 'string', enum: ['history', 'noise-floor', 'none'] },
      },
      [],
      { nullable: true },
    ),
  },
  ['reason'],
);
/** The capacity, one recovery per surge, the slow burn. */
const MAX_SHAPE_TESTS = 1002;

/** The whole comparison. */
export const comparisonSchema: SchemaObject = fields<Comparison>(
  {
    schema: { type: 'string', const: COMPARISON_SCHEMA },
    verdict: { type: 'string', enum: VERDICTS },
    conclusion: { type: 'string', enum: ['success', 'failure', 'neutral'] },
    profile: fields<Comparison['profile']>({
      id: { type: 'string', pattern: `^[A-Za-z0-9._-]{1,${MAX_NAME_CHARS}}$` },
      hash: { type: 'string', minLength: 1, maxLength: MAX_NAME_CHARS },
    }),
    current: fields<Comparison['current']>(
      {
        ...(runRef.properties as Record<keyof RunRef, SchemaObject>),
        measuredMs: { type: 'number', minimum: 0, maximum: MAX_MS },
        blockMs: { type: 'number', exclusiveMinimum: 0, maximum: MAX_MS },
        interrupted: { type: 'boolean' },
      },
      ['commit', 'ref', 'runId'],
    ),
    history: fields<Comparison['history']>({
      used: list(runRef, MAX_HISTORY_RUNS),
      skipped: list(fields<Comparison['history']['skipped'][number]>({ run: runRef, reason: text() }), MAX_HISTORY_RUNS),
    }),
    generator: fields<Comparison['generator']>({ valid: { type: 'boolean' }, reasons: list(text(), 100), addedMs: { type: 'number', minimum: 0, maximum: MAX_MS } }, ['addedMs']),
    incomplete: fields<IncompleteRun>({
      cause: { type: 'string', enum: ['interrupted', 'aborted', 'short'] },
      measuredMs: { type: 'number', minimum: 0, maximum: MAX_MS },
      plannedMs: { type: 'number', minimum: 0, maximum: MAX_MS, nullable: true },
    }),
    settings: fields<ComparisonSettings>(
      {
        alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5 },
        power: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        allowed: fields<ComparisonSettings['allowed']>({
          p95Pct: { type: 'number', exclusiveMinimum: 0, maximum: 1e6 },
          throughputPct: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 },
          errorRatePoints: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 },
        }),
        noiseFloorPct: { type: 'number', minimum: 0, exclusiveMaximum: 100 },
        minBlockRequests: wholeNumber(1e9),
        minBlocks: wholeNumber(1e9),
        countedSteps: list(name, MAX_COMPARISON_STEPS),
        correctedTests: wholeNumber(10 * MAX_COMPARISON_STEPS),
        correctedTestNames: list(text(MAX_NAME_CHARS + 20), 10 * MAX_COMPARISON_STEPS),
      },
      ['correctedTestNames'],
    ),
    steps: { ...list(step, MAX_COMPARISON_STEPS), minItems: 1 },
    shapeTests: list(shapeTest, MAX_SHAPE_TESTS),
    targetMetrics: list(shapeTest, 2),
    thresholds: list(threshold, MAX_THRESHOLDS),
    notes: list(text(), MAX_NOTES),
    pairing,
    runnerSpeed: fields<RunnerSpeed>({
      currentOpsPerMicrosecond: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
      baselineOpsPerMicrosecond: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
      baselineRuns: wholeNumber(MAX_HISTORY_RUNS),
      baselineSpreadPct: { type: 'number', minimum: 0, maximum: LIMIT },
      slowerPct: value,
      slower: { type: 'boolean' },
      heldRegressions: wholeNumber(3 * MAX_COMPARISON_STEPS),
      basis: { type: 'string', enum: ['cpu-time', 'wall-time'] },
      cpuSharePct: { type: 'number', minimum: 0, maximum: 100 },
      baselineCpuSharePct: { type: 'number', minimum: 0, maximum: 100 },
      busy: { type: 'boolean' },
    }, ['heldRegressions', 'basis', 'cpuSharePct', 'baselineCpuSharePct', 'busy']),
    slowBaselineRuns: fields<SlowBaselineRuns>({
      runs: { ...list(fields<SlowBaselineRuns['runs'][number]>({ run: runRef, slowerPct: value }), MAX_HISTORY_RUNS), minItems: 1 },
      leftOut: { type: 'boolean' },
    }),
    analysis: analysisSchema,
    baseAnalysis: analysisSchema,
    baselineUnavailable: text(),
  },
  ['pairing', 'incomplete', 'runnerSpeed', 'slowBaselineRuns', 'analysis', 'baseAnalysis', 'shapeTests', 'targetMetrics', 'baselineUnavailable'],
);

let compiled: ValidateFunction<Comparison> | undefined;

function validator(): ValidateFunction<Comparison> {
  // The first error is enough to refuse a comparison, and stopping there keeps a huge one cheap.
  compiled ??= new Ajv({ allErrors: false, strict: true, strictNumbers: true }).compile<Comparison>(comparisonSchema);
  return compiled;
}

/** The first way `data` is not a comparison tailgate writes, in words (`settings.alpha must be a number`); undefined when it is one. */
export function comparisonProblem(data: unknown): string | undefined {
  const validate = validator();
  if (validate(data)) return undefined;
  const error = validate.errors?.[0];
  return error === undefined ? 'is not a tailgate comparison' : describe(error);
}

/** Whether `data` is a comparison this schema accepts. */
export function isComparison(data: unknown): data is Comparison {
  return validator()(data);
}

function describe(error: ErrorObject): string {
  const field = error.instancePath === '' ? 'the comparison' : error.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replaceAll('/', '.').replaceAll('~1', '/').replaceAll('~0', '~');
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${field} has no ${String(params.missingProperty)}`;
    case 'additionalProperties':
      return `${field} has a field tailgate does not write (${JSON.stringify(String(params.additionalProperty)).slice(0, 60)})`;
    case 'maxItems':
      return `${field} holds more than ${String(params.limit)} entries`;
    case 'maxLength':
      return `${field} is longer than ${String(params.limit)} characters`;
    default:
      return `${field} ${error.message ?? 'is not valid'}`;
  }
}
