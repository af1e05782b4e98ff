import { readFile } from 'node:fs/promises';
import { ARMS, type Arm } from './paired-layout.js';
import { PAIRED_SCHEMA, type LookMetricRecord, type LookRecord, type PairedRecord, type PairingMeta, type SequentialMeta } from './paired-record-types.js';
import { parseRunRecord } from './read-run-record.js';
import { RecordError } from './record-error.js';

const FIX = 'use a record written by `tailgate run --baseline-target ... --out`, unedited; re-run to get a new one';
/** More paired blocks than any run may have (the run record's own bound on blocks is higher). */
const MAX_PAIRED_BLOCKS = 100_000;
/** More gated metrics at one look than any run has (three per step and overall). */
const MAX_LOOK_METRICS = 3 * 1001;
const MAX_REASON_CHARS = 2000;

/** Whether parsed JSON is a paired record (by its schema line), before it is checked. */
export function isPairedData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && typeof (data as { schema?: unknown }).schema === 'string' && (data as { schema: string }).schema.startsWith('tailgate.paired/');
}

/**
 * Parses a paired record: its format, the pairing, the order, and each arm as a run record
 * (`parseRunRecord`, which refuses what it cannot read), then that the arms agree with the order
 * and with each other. Refuses a newer or damaged one with a message that says what to do.
 */
export function parsePairedRecord(text: string, file: string): PairedRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RecordError(file, `not valid JSON (${(error as Error).message})`, FIX);
  }
  return checkPaired(data, file);
}

export function checkPaired(data: unknown, file: string): PairedRecord {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RecordError(file, 'not a paired record (expected a JSON object)', FIX);
  const record = data as Record<string, unknown>;
  if (record.schema !== PAIRED_SCHEMA) {
    const written = typeof record.schema === 'string' ? record.schema.slice(0, 60) : JSON.stringify(record.schema);
    const newer = /^tailgate\.paired\/v(\d{1,6})$/.exec(String(record.schema))?.[1];
    throw new RecordError(
      file,
      newer !== undefined && Number(newer) > 1 ? `written in format ${written}, newer than this tailgate reads (${PAIRED_SCHEMA})` : `not a paired record (schema is ${written})`,
      newer !== undefined && Number(newer) > 1 ? 'upgrade tailgate to the version that wrote it' : FIX,
    );
  }
  const meta = record.meta as { pairing?: Record<string, unknown>; sequential?: unknown } | undefined;
  const pairing = meta?.pairing;
  if (typeof pairing !== 'object' || pairing === null) throw new RecordError(file, 'meta.pairing is missing', FIX);
  const pairingMeta = checkPairing(pairing, file);
  const order = record.order;
  if (!Array.isArray(order) || order.length > MAX_PAIRED_BLOCKS || !order.every((arm): arm is Arm => arm === 'head' || arm === 'base')) {
    throw new RecordError(file, 'order must be a list of "head" and "base", one per paired block', FIX);
  }
  const sequential = meta?.sequential === undefined ? undefined : checkSequential(meta.sequential, Math.floor(order.length / 2), file);
  const arms = {} as Record<Arm, PairedRecord['head']>;
  for (const arm of ARMS) {
    if (typeof record[arm] !== 'object' || record[arm] === null) throw new RecordError(file, `${arm} is missing (the run record of that target)`, FIX);
    arms[arm] = parseRunRecord(JSON.stringify(record[arm]), `${file} (${arm})`);
  }
  const { head, base } = arms;
  if (head.meta.profile.hash !== base.meta.profile.hash || head.meta.profile.id !== base.meta.profile.id) {
    throw new RecordError(file, 'its two arms ran different profiles', FIX);
  }
  if (head.meta.blockMs !== base.meta.blockMs) throw new RecordError(file, 'its two arms have different block lengths', FIX);
  const measuredPart = pairingMeta.blockMs - pairingMeta.settleMs;
  if (measuredPart % head.meta.blockMs !== 0) {
    throw new RecordError(file, `meta.pairing: a measured part of ${measuredPart} ms is not a whole number of the arms' ${head.meta.blockMs} ms blocks`, FIX);
  }
  for (const arm of ARMS) {
    const run = arms[arm];
    const blocks = order.filter((a) => a === arm).length;
    const most = (blocks * measuredPart) / run.meta.blockMs;
    if (run.blocks.length > Math.max(1, most)) {
      throw new RecordError(file, `${arm} holds ${run.blocks.length} blocks, more than its ${blocks} paired blocks of ${measuredPart} ms can`, FIX);
    }
    // A run stopped early (interrupted, by an abortOnFail threshold, or once its verdict was decided) holds fewer blocks than its order.
    const stopped = sequential?.stoppedAtPairs;
    if (stopped !== undefined) {
      const judged = (order.slice(0, 2 * stopped).filter((a) => a === arm).length * measuredPart) / run.meta.blockMs;
      if (run.blocks.length < judged) throw new RecordError(file, `${arm} holds ${run.blocks.length} blocks, fewer than the ${stopped} block pairs it stopped at make (${judged})`, FIX);
    } else if (!run.meta.interrupted && run.meta.aborted === undefined && blocks > 0 && run.blocks.length !== most) {
      throw new RecordError(file, `${arm} holds ${run.blocks.length} blocks, but its ${blocks} paired blocks of ${measuredPart} ms make ${most}`, FIX);
    }
  }
  return { schema: PAIRED_SCHEMA, meta: { pairing: pairingMeta, ...(sequential ? { sequential } : {}) }, order: [...order], head, base };
}

function checkPairing(pairing: Record<string, unknown>, file: string): PairingMeta {
  const whole = (name: string, min: number): number => {
    const value = pairing[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 3_600_000_000) {
      throw new RecordError(file, `meta.pairing.${name} must be a whole number ≥ ${min}`, FIX);
    }
    return value;
  };
  const order = pairing.order;
  if (order !== 'abba' && order !== 'random') throw new RecordError(file, 'meta.pairing.order must be "abba" or "random"', FIX);
  const blockMs = whole('blockMs', 1);
  const settleMs = whole('settleMs', 0);
  if (settleMs >= blockMs) throw new RecordError(file, 'meta.pairing.settleMs must be shorter than blockMs', FIX);
  const settleAt = pairing.settleAt;
  if (settleAt !== undefined && settleAt !== 'switch' && settleAt !== 'block') throw new RecordError(file, 'meta.pairing.settleAt must be "switch" or "block"', FIX);
  return { order, seed: whole('seed', 0), blockMs, settleMs, ...(settleAt !== undefined ? { settleAt } : {}), excludedRequests: whole('excludedRequests', 0) };
}

/**
 * `meta.sequential`, the looks of a run that stopped once decided (or ran to its most): each field
 * typed and bounded, the looks in order of pairs within the most the order holds, at most one
 * deciding look, the last one, and the pairs it stopped at that look's.
 */
function checkSequential(value: unknown, orderPairs: number, file: string): SequentialMeta {
  const where = 'meta.sequential';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordError(file, `${where} must be an object`, FIX);
  const s = value as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new RecordError(file, `${where}.${what}`, FIX);
  };
  const whole = (v: unknown, name: string, min: number, max: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fail(`${name} must be a whole number from ${min} to ${max}`));
  const fraction = (v: unknown, name: string, open: boolean): number => (typeof v === 'number' && v >= 0 && v <= 1 && !(open && (v === 0 || v === 1)) ? v : fail(`${name} must be a number between 0 and 1`));
  const finite = (v: unknown, name: string): number => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e15 ? v : fail(`${name} must be a finite number`));
  const text = (v: unknown, name: string): string => (typeof v === 'string' && v.length <= MAX_REASON_CHARS ? v : fail(`${name} must be a text of at most ${MAX_REASON_CHARS} characters`));
  if (s.spending !== 'obrien-fleming') fail('spending must be "obrien-fleming"');
  const alpha = fraction(s.alpha, 'alpha', true);
  const maxPairs = whole(s.maxPairs, 'maxPairs', 1, orderPairs);
  const planned = s.plannedLooks;
  if (!Array.isArray(planned) || planned.length === 0 || planned.length > maxPairs) fail('plannedLooks must list the pairs of each planned look');
  const plannedLooks = (planned as unknown[]).map((v, i) => whole(v, `plannedLooks[${i}]`, 1, maxPairs));
  if (plannedLooks.some((p, i) => i > 0 && p <= (plannedLooks[i - 1] as number)) || plannedLooks[plannedLooks.length - 1] !== maxPairs) fail('plannedLooks must increase and end at maxPairs');
  const futilityMultiple = finite(s.futilityMultiple, 'futilityMultiple');
  const futilityLevel = fraction(s.futilityLevel, 'futilityLevel', true);
  const maxMeasuredMs = whole(s.maxMeasuredMs, 'maxMeasuredMs', 0, 3_600_000_000);
  const raw = s.looks;
  if (!Array.isArray(raw) || raw.length > plannedLooks.length) fail('looks must be a list of at most the planned looks');
  const looks = (raw as unknown[]).map((v, i): LookRecord => {
    const name = `looks[${i}]`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`${name} must be an object`);
    const look = v as Record<string, unknown>;
    const verdicts = ['pass', 'regression', 'improvement', 'inconclusive', 'no-baseline'] as const;
    const decisions = ['continue', 'regression', 'ruled-out', 'maximum'] as const;
    const verdict = verdicts.find((x) => x === look.verdict) ?? fail(`${name}.verdict must be one of ${verdicts.join(', ')}`);
    const decision = decisions.find((x) => x === look.decision) ?? fail(`${name}.decision must be one of ${decisions.join(', ')}`);
    const metrics = look.metrics;
    if (!Array.isArray(metrics) || metrics.length > MAX_LOOK_METRICS) fail(`${name}.metrics must be a list`);
    return {
      pairs: whole(look.pairs, `${name}.pairs`, 1, maxPairs),
      fraction: fraction(look.fraction, `${name}.fraction`, false),
      level: fraction(look.level, `${name}.level`, false),
      verdict,
      decision,
      reason: text(look.reason, `${name}.reason`),
      atMs: whole(look.atMs, `${name}.atMs`, 0, 3_600_000_000),
      metrics: (metrics as unknown[]).map((m, j): LookMetricRecord => {
        const metric = m as Record<string, unknown> | null;
        const at = `${name}.metrics[${j}]`;
        if (typeof metric !== 'object' || metric === null) return fail(`${at} must be an object`);
        const kind = (['p95', 'throughput', 'errorRate'] as const).find((x) => x === metric.metric) ?? fail(`${at}.metric must be p95, throughput or errorRate`);
        return { step: text(metric.step, `${at}.step`), metric: kind, change: finite(metric.change, `${at}.change`), upper: finite(metric.upper, `${at}.upper`), pValue: fraction(metric.pValue, `${at}.pValue`, false) };
      }),
    };
  });
  if (looks.some((look, i) => i > 0 && look.pairs <= (looks[i - 1] as LookRecord).pairs)) fail('looks must be in order of pairs');
  if (looks.some((look, i) => look.decision !== 'continue' && i !== looks.length - 1)) fail('looks: only the last look may decide');
  const stop = s.stoppedAtPairs;
  let stoppedAtPairs: number | undefined;
  if (stop !== undefined) {
    stoppedAtPairs = whole(stop, 'stoppedAtPairs', 1, maxPairs);
    const last = looks[looks.length - 1];
    if (last === undefined || last.pairs !== stoppedAtPairs || last.decision === 'continue') fail('stoppedAtPairs must be the pairs of the last look, which decided');
  }
  return { spending: 'obrien-fleming', alpha, plannedLooks, maxPairs, futilityMultiple, futilityLevel, looks, ...(stoppedAtPairs !== undefined ? { stoppedAtPairs } : {}), maxMeasuredMs };
}

/** Reads and parses a paired record file. */
export async function readPairedRecordFile(file: string): Promise<PairedRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check the path');
  }
  return parsePairedRecord(text, file);
}
