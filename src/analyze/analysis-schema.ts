import { Ajv, type SchemaObject, type ValidateFunction } from 'ajv';
import { fields } from '../record/schema-fields.js';
import { ANALYSIS_SCHEMA, type Analysis, type CapacityAnswer, type Interval, type LoadLevel, type SurgeRecovery, type TrendAnswer, type UslFit } from './analysis-types.js';

/**
 * The JSON schema of an analysis (`tailgate.analysis/v1`): every field typed, every number finite,
 * every list and text bounded. It documents the contract and checks what `tailgate analyze`
 * writes; a comparison that carries an analysis holds it to the same schema.
 */

/** Far beyond anything a run measures, and finite. */
const LIMIT = 1e15;
const MAX_LEVELS = 10_000;
const MAX_SURGES = 1000;
const MAX_NOTES = 100;

const value = { type: 'number', minimum: -LIMIT, maximum: LIMIT } as const;
const positive = { type: 'number', minimum: 0, maximum: LIMIT } as const;
const text = { type: 'string', maxLength: 2000 } as const;
const ms = { type: 'number', minimum: 0, maximum: 1e9 } as const;

const interval = (nullable = false): SchemaObject => fields<Interval>({ estimate: value, low: value, high: value }, [], nullable ? { nullable: true } : {});

const level = fields<LoadLevel>(
  {
    startMs: ms,
    endMs: ms,
    offered: positive,
    achievedRps: positive,
    due: positive,
    dropped: positive,
    expectedRps: positive,
    p95Ms: { ...positive, nullable: true },
    p95GrowthPctPerSecond: value,
    errorRate: { type: 'number', minimum: 0, maximum: 1 },
    servedRps: positive,
    keptUp: { type: 'boolean' },
    reasons: { type: 'array', maxItems: 20, items: text },
  },
  ['due', 'dropped', 'expectedRps', 'p95GrowthPctPerSecond', 'servedRps'],
);

const usl = fields<UslFit>({
  lambda: positive,
  sigma: positive,
  kappa: positive,
  peakConcurrency: positive,
  peakRps: positive,
  rSquared: { type: 'number', minimum: -LIMIT, maximum: 1 },
});

const capacity = fields<CapacityAnswer>(
  {
    unit: { type: 'string', enum: ['rps', 'vus'] },
    sustainableRps: interval(true),
    sloCrossingRps: interval(true),
    atLeast: { type: 'boolean' },
    limitedBy: { type: 'string', enum: ['latency', 'errors', 'throughput'] },
    breakingLevel: { type: 'integer', minimum: 0, maximum: MAX_LEVELS },
    usl,
    levels: { type: 'array', maxItems: MAX_LEVELS, items: level },
    plan: fields<NonNullable<CapacityAnswer['plan']>>({
      target: positive,
      unit: { type: 'string', enum: ['users', 'rps'] },
      headroomPct: { type: 'number', minimum: 0, maximum: 100 },
      instances: interval(),
    }),
    notes: { type: 'array', maxItems: MAX_NOTES, items: text },
  },
  ['limitedBy', 'breakingLevel', 'usl', 'plan', 'notes'],
);

const recovery = fields<SurgeRecovery>(
  {
    surgeOffered: positive,
    beforeOffered: positive,
    surgeStartMs: ms,
    surgeEndMs: ms,
    seconds: interval(true),
    recovered: { type: 'boolean' },
    p95BeforeMs: { ...positive, nullable: true },
    p95PeakMs: { ...positive, nullable: true },
    surgeErrors: positive,
    surgeErrorRate: { type: 'number', minimum: 0, maximum: 1 },
    observedSeconds: positive,
    allowancePct: positive,
    p95LimitMs: positive,
    beforeBlocks: { type: 'integer', minimum: 0, maximum: 10_000_000 },
    note: text,
  },
  ['observedSeconds', 'allowancePct', 'p95LimitMs', 'beforeBlocks', 'note'],
);

const trend = fields<TrendAnswer>(
  {
    p95PctPerMinute: interval(),
    significant: { type: 'boolean' },
    pValue: { type: 'number', minimum: 0, maximum: 1 },
    errorRatePointsPerMinute: interval(),
    blocks: { type: 'integer', minimum: 0, maximum: 10_000_000 },
    method: text,
    logSlopePerMinute: fields<NonNullable<TrendAnswer['logSlopePerMinute']>>({ estimate: value, se: positive, df: { type: 'number', exclusiveMinimum: 0, maximum: LIMIT } }),
  },
  ['errorRatePointsPerMinute', 'logSlopePerMinute'],
);

export const analysisSchema = fields<Analysis>(
  {
    schema: { type: 'string', const: ANALYSIS_SCHEMA },
    shape: { type: 'string', enum: ['rising', 'surge', 'steady', 'other'] },
    capacity,
    recovery: { type: 'array', maxItems: MAX_SURGES, items: recovery },
    trend,
    notes: { type: 'array', maxItems: MAX_NOTES, items: text },
  },
  ['capacity', 'trend'],
);

let compiled: ValidateFunction<Analysis> | undefined;

export function analysisValidator(): ValidateFunction<Analysis> {
  compiled ??= new Ajv({ allErrors: false, strict: true, strictNumbers: true }).compile<Analysis>(analysisSchema);
  return compiled;
}

/** Why data is not an analysis tailgate wrote, in one line; undefined when it is one. */
export function analysisProblem(data: unknown): string | undefined {
  const validate = analysisValidator();
  if (validate(data)) return undefined;
  const error = validate.errors?.[0];
  return error ? `${error.instancePath || '(top)'} ${error.message ?? 'is invalid'}` : 'is invalid';
}
