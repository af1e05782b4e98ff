import { formatCount, formatErrorRate, formatPlain } from './number-format.js';

/**
 * How a step's requests ended, for every report (terminal, markdown, HTML): the status codes the
 * target answered and the errors by kind, from the counts a run record keeps. Typed parts, so each
 * renderer escapes a name its own way; a status code is printed only as a number.
 */
export interface OutcomeCounts {
  requests: number;
  errors: number;
  statuses: Readonly<Record<string, number>>;
  errorKinds: Readonly<Partial<Record<string, number>>>;
}

/** A line of a breakdown: a status code, or an error kind (`name` is the record's, to be escaped). */
export type OutcomePart = { type: 'status'; code: number; count: number } | { type: 'kind'; name: string; count: number };

/** The words for the kinds the engine counts (`src/engine/error-kinds.ts`); another kind shows by its name. */
export const ERROR_KIND_WORDS: Readonly<Record<string, string>> = {
  timeout: 'timeout',
  refused: 'connection refused',
  reset: 'connection reset',
  dns: 'DNS lookup failed',
  tls: 'TLS failed',
  status: 'unexpected status',
  capture: 'capture failed',
  other: 'other error',
};
const KIND_ORDER = Object.keys(ERROR_KIND_WORDS);

/** Status codes in ascending order, only well-formed ones (three digits, as the record schema keys them). */
export function statusParts(statuses: Readonly<Record<string, number>>): Array<Extract<OutcomePart, { type: 'status' }>> {
  return Object.entries(statuses)
    .filter(([code, count]) => /^[1-9][0-9]{2}$/.test(code) && typeof count === 'number' && count > 0)
    .map(([code, count]) => ({ type: 'status' as const, code: Number(code), count }))
    .sort((a, b) => a.code - b.code);
}

/** Error kinds with a count, the engine's in its order, any other after them by name. */
export function kindParts(errorKinds: Readonly<Partial<Record<string, number>>>): Array<Extract<OutcomePart, { type: 'kind' }>> {
  const rank = (name: string): number => (KIND_ORDER.includes(name) ? KIND_ORDER.indexOf(name) : KIND_ORDER.length);
  return Object.entries(errorKinds)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .map(([name, count]) => ({ type: 'kind' as const, name, count }))
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The errors, the unexpected statuses by code: `500 ×228`, then the other kinds (`timeout ×3`).
 * The record counts unexpected statuses as one kind and every response by code, so the codes are
 * named when they account for exactly the unexpected statuses: the codes outside 200-399, or
 * every code (a step that expected another one). Otherwise the kind stays one part.
 */
export function errorParts(outcomes: OutcomeCounts): OutcomePart[] {
  const kinds = kindParts(outcomes.errorKinds);
  const unexpected = kinds.find((k) => k.name === 'status')?.count ?? 0;
  const statuses = statusParts(outcomes.statuses);
  const sum = (parts: ReadonlyArray<{ count: number }>): number => parts.reduce((total, p) => total + p.count, 0);
  const failing = statuses.filter((s) => s.code < 200 || s.code >= 400);
  const codes = unexpected === 0 ? [] : sum(failing) === unexpected ? failing : sum(statuses) === unexpected ? statuses : undefined;
  if (codes === undefined) return kinds;
  return [...codes, ...kinds.filter((k) => k.name !== 'status')];
}

/** A part's label, its kind's name passed through the renderer's escaper. */
export function partLabel(part: OutcomePart, escape: (text: string) => string): string {
  if (part.type === 'status') return formatPlain(part.code, 0);
  return escape(Object.hasOwn(ERROR_KIND_WORDS, part.name) ? (ERROR_KIND_WORDS[part.name] as string) : part.name);
}

/** `500 ×228, timeout ×3`. */
export function formatParts(parts: readonly OutcomePart[], escape: (text: string) => string): string {
  return parts.map((part) => `${partLabel(part, escape)} ×${formatCount(part.count)}`).join(', ');
}

/** A share of the requests: `100%` and `0%` exactly, otherwise as an error rate (`0.12%`, `18.6%`). */
export function formatShare(fraction: number): string {
  if (fraction === 1) return '100%';
  return formatErrorRate(fraction);
}

/** `228 (100%): 500 ×228`, or `0`. */
export function formatErrors(outcomes: OutcomeCounts, escape: (text: string) => string): string {
  if (outcomes.errors === 0) return '0';
  const share = outcomes.requests > 0 ? ` (${formatShare(outcomes.errors / outcomes.requests)})` : '';
  const parts = errorParts(outcomes);
  return `${formatCount(outcomes.errors)}${share}${parts.length > 0 ? `: ${formatParts(parts, escape)}` : ''}`;
}

/** Every request of the run failed (and there was at least one). */
export function allFailed(outcomes: Pick<OutcomeCounts, 'requests' | 'errors'>): boolean {
  return outcomes.requests > 0 && outcomes.errors >= outcomes.requests;
}
