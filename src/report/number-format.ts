import type { MetricComparison, ThresholdResult } from '../compare/comparison-types.js';

/**
 * Numbers as a reviewer reads them: about three significant figures, a sign on every change,
 * a real minus sign, and units. Formatting is fixed (en-US), never the machine's locale, so
 * reports and snapshots are the same everywhere.
 *
 * Every number a report prints goes through one of these, and each prints only a finite number
 * of type number: anything else (text where a number belongs, in a comparison that came from
 * outside) prints as `?`, never as it came, and never coerced into a number.
 */
const MINUS = '−';
const NOT_A_NUMBER = '?';

/** A finite number of type number (not text that looks like one). */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function fixed(value: number, digits: number): string {
  if (!isFiniteNumber(value)) return NOT_A_NUMBER;
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Math.abs(value));
}

/** Three significant figures, at most three decimals: 0.512, 5.12, 51.2, 512, 5,120. */
function significant(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return (value < 0 ? MINUS : '') + fixed(value, digits);
}

function signed(value: number, digits: number): string {
  if (!isFiniteNumber(value)) return NOT_A_NUMBER;
  const text = fixed(value, digits);
  if (Number(text.replace(/,/g, '')) === 0) return `±${text}`;
  return (value < 0 ? MINUS : '+') + text;
}

export function formatMs(ms: number): string {
  return `${significant(ms)} ms`;
}

export function formatRps(rps: number): string {
  return `${significant(rps)} req/s`;
}

/** The target's CPU-seconds per request, in CPU milliseconds: 0.00123 -> 1.23 ms CPU/req. */
export function formatCpuPerRequest(seconds: number): string {
  return `${significant(seconds * 1000)} ms CPU/req`;
}

/** Bytes in binary units: 52428800 -> 50 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${significant(value)} ${units[unit]}`;
}

/** An error rate given as a fraction: 0.0012 -> 0.12%. */
export function formatErrorRate(fraction: number): string {
  if (!isFiniteNumber(fraction)) return NOT_A_NUMBER;
  const pct = fraction * 100;
  return `${fixed(pct, pct === 0 ? 0 : pct < 1 ? 2 : 1)}%`;
}

/** A relative change in percent: +2.4%, −18%, ±0.0%. */
export function formatPct(pct: number): string {
  return `${signed(pct, Math.abs(pct) < 10 ? 1 : 0)}%`;
}

/** A change in percentage points: +0.02 pt, +1.2 pt. */
export function formatPoints(points: number): string {
  return `${signed(points, Math.abs(points) < 1 ? 2 : 1)} pt`;
}

/** The size of a change without its sign, for prose: 23%, 2.1 points. */
export function formatChangeSize(metric: Pick<MetricComparison, 'changeUnit'>, change: number): string {
  if (!isFiniteNumber(change)) return NOT_A_NUMBER;
  const size = Math.abs(change);
  if (metric.changeUnit === 'pp') return `${fixed(size, size < 1 ? 2 : 1)} points`;
  return `${fixed(size, size < 10 ? 1 : 0)}%`;
}

/** A change of a gated metric in its own unit. */
export function formatChange(metric: Pick<MetricComparison, 'changeUnit'>, change: number): string {
  return metric.changeUnit === 'pp' ? formatPoints(change) : formatPct(change);
}

/** `+15% … +31%` */
export function formatInterval(metric: Pick<MetricComparison, 'changeUnit'>, interval: { low: number; high: number }): string {
  return `${formatChange(metric, interval.low)} … ${formatChange(metric, interval.high)}`;
}

/** A value of a gated metric in its unit. */
export function formatValue(metric: Pick<MetricComparison, 'unit'>, value: number): string {
  if (metric.unit === 'ms') return formatMs(value);
  if (metric.unit === 'req/s') return formatRps(value);
  return formatErrorRate(value);
}

/** `10%` or `1 point`, without a sign: how much change is allowed, as configured. */
export function formatAllowance(metric: Pick<MetricComparison, 'changeUnit' | 'allowedChange'>): string {
  const text = plain(metric.allowedChange);
  return metric.changeUnit === 'pp' ? `${text} point${text === '1' ? '' : 's'}` : `${text}%`;
}

/** `+10%`, `−10%`, `+1 pt`: the allowed change with its direction, for tables. */
export function formatAllowedChange(metric: Pick<MetricComparison, 'changeUnit' | 'allowedChange'>): string {
  if (!isFiniteNumber(metric.allowedChange)) return NOT_A_NUMBER;
  const sign = metric.allowedChange < 0 ? MINUS : '+';
  return `${sign}${plain(metric.allowedChange)}${metric.changeUnit === 'pp' ? ' pt' : '%'}`;
}

/** A configured number as written: 10, 7.5, 0.25 (no padding zeros). */
function plain(value: number): string {
  if (!isFiniteNumber(value)) return NOT_A_NUMBER;
  return String(Number(Math.abs(value).toFixed(2)));
}

/** A setting or a small measured number as it is, up to `decimals` decimals: 0.05, 8, 2.5 (no grouping). */
export function formatPlain(value: number, decimals = 4): string {
  if (!isFiniteNumber(value)) return NOT_A_NUMBER;
  return String(Number(value.toFixed(decimals)));
}

/** A fraction as a whole percent, without the sign: 0.8 -> 80. */
export function formatWholePercent(fraction: number): string {
  return isFiniteNumber(fraction) ? String(Math.round(fraction * 100)) : NOT_A_NUMBER;
}

/** Milliseconds as seconds with at most one decimal, without the unit: 1000 -> 1, 2500 -> 2.5. */
export function formatSecondsOf(ms: number): string {
  return isFiniteNumber(ms) ? String(Number((ms / 1000).toFixed(1))) : NOT_A_NUMBER;
}

export function formatCount(count: number): string {
  if (!isFiniteNumber(count)) return NOT_A_NUMBER;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(count);
}

export function formatDuration(ms: number): string {
  if (!isFiniteNumber(ms)) return NOT_A_NUMBER;
  const seconds = ms / 1000;
  if (seconds < 120) return `${Number(seconds.toFixed(1))} s`;
  return `${Number((seconds / 60).toFixed(1))} min`;
}

/** A threshold's observed value in its unit. */
export function formatObserved(unit: ThresholdResult['unit'], value: number): string {
  if (unit === 'ms') return formatMs(value);
  if (unit === 'ratio') return formatErrorRate(value);
  if (unit === 'req/s') return formatRps(value);
  if (unit === 'iter/s') return `${significant(value)} iter/s`;
  return formatCount(value);
}
