import { formatShare, kindParts, partLabel, statusParts, type OutcomeCounts, type OutcomePart } from './error-breakdown.js';
import { formatCount } from './number-format.js';

/** One row of a status-and-error table: a code or an error kind, and its count and share in each run. */
export interface OutcomeRow {
  /** `200`, or the kind's words (`timeout`), escaped by the caller's escaper. */
  label: string;
  /** Status codes are responses; kinds are errors. */
  type: OutcomePart['type'];
  baseline: string;
  current: string;
}

/**
 * The rows of a table of how requests ended: every status code either run saw, ascending, then
 * every error kind, each cell `count (share of requests)` or `–`. Shared by the markdown and the page.
 */
export function outcomeRows(current: OutcomeCounts, baseline: OutcomeCounts | null, escape: (text: string) => string): OutcomeRow[] {
  const cell = (runs: OutcomeCounts | null, find: (parts: OutcomePart[]) => OutcomePart | undefined, parts: (o: OutcomeCounts) => OutcomePart[]): string => {
    if (runs === null) return '–';
    const part = find(parts(runs));
    if (part === undefined) return '–';
    return runs.requests > 0 ? `${formatCount(part.count)} (${formatShare(part.count / runs.requests)})` : formatCount(part.count);
  };
  const both = baseline === null ? [current] : [current, baseline];
  const codes = [...new Set(both.flatMap((o) => statusParts(o.statuses).map((p) => p.code)))].sort((a, b) => a - b);
  const kinds = kindParts(Object.fromEntries(both.flatMap((o) => kindParts(o.errorKinds).map((p) => [p.name, 1]))));
  const statusRows = codes.map((code): OutcomeRow => {
    const find = (parts: OutcomePart[]) => parts.find((p) => p.type === 'status' && p.code === code);
    const parts = (o: OutcomeCounts) => statusParts(o.statuses);
    return { label: partLabel({ type: 'status', code, count: 0 }, escape), type: 'status', baseline: cell(baseline, find, parts), current: cell(current, find, parts) };
  });
  const kindRows = kinds.map(({ name }): OutcomeRow => {
    const find = (parts: OutcomePart[]) => parts.find((p) => p.type === 'kind' && p.name === name);
    const parts = (o: OutcomeCounts) => kindParts(o.errorKinds);
    return { label: `${partLabel({ type: 'kind', name, count: 0 }, escape)} (error)`, type: 'kind', baseline: cell(baseline, find, parts), current: cell(current, find, parts) };
  });
  return [...statusRows, ...kindRows];
}
