import { readFile } from 'node:fs/promises';
import { ARMS, type Arm } from './paired-layout.js';
import { PAIRED_SCHEMA, type PairedRecord, type PairingMeta } from './paired-record-types.js';
import { parseRunRecord } from './read-run-record.js';
import { RecordError } from './record-error.js';

const FIX = 'use a record written by `tailgate run --baseline-target ... --out`, unedited; re-run to get a new one';
/** More paired blocks than any run may have (the run record's own bound on blocks is higher). */
const MAX_PAIRED_BLOCKS = 100_000;

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
  const meta = record.meta as { pairing?: Record<string, unknown> } | undefined;
  const pairing = meta?.pairing;
  if (typeof pairing !== 'object' || pairing === null) throw new RecordError(file, 'meta.pairing is missing', FIX);
  const pairingMeta = checkPairing(pairing, file);
  const order = record.order;
  if (!Array.isArray(order) || order.length > MAX_PAIRED_BLOCKS || !order.every((arm): arm is Arm => arm === 'head' || arm === 'base')) {
    throw new RecordError(file, 'order must be a list of "head" and "base", one per paired block', FIX);
  }
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
    // A run stopped early (interrupted, or by an abortOnFail threshold) holds fewer blocks than its order.
    if (!run.meta.interrupted && run.meta.aborted === undefined && blocks > 0 && run.blocks.length !== most) {
      throw new RecordError(file, `${arm} holds ${run.blocks.length} blocks, but its ${blocks} paired blocks of ${measuredPart} ms make ${most}`, FIX);
    }
  }
  return { schema: PAIRED_SCHEMA, meta: { pairing: pairingMeta }, order: [...order], head, base };
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
