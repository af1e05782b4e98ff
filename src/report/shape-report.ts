import type { ShapeComparison } from '../compare/comparison-types.js';
import { formatCpuPerRequest, formatPct, formatRps } from './number-format.js';
import { VERDICT_WORDS } from './verdict-marks.js';

/**
 * The run's shape against the baseline runs' (`Comparison.shapeTests`), one line each, as a
 * reviewer reads them: what this run answered, what the baseline runs did, the change with its
 * interval, the allowance and the verdict. Pure; `shown` renders the reason's words (escaped in
 * markdown, as they are in a terminal).
 */

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

const SUBJECT: Record<ShapeComparison['question'], string> = {
  capacity: 'Capacity against the baseline',
  recovery: 'Recovery against the baseline',
  trend: 'Slow burn against the baseline',
  cpu: "The target's CPU per request against the baseline",
  memory: "The target's memory growth against the baseline",
};

function valueOf(test: ShapeComparison, value: number): string {
  if (test.unit === 'req/s') return formatRps(value);
  if (test.unit === 's') return `${NUMBER.format(value)} s`;
  if (test.unit === 's/req') return formatCpuPerRequest(value);
  return `${formatPct(value)} a minute`;
}

function changeOf(test: ShapeComparison, change: number): string {
  return test.changeUnit === '%/min' ? `${formatPct(change)} a minute` : formatPct(change);
}

/** Paired mode: the head's answer against the base's from the same run (no run-to-run noise: `none`). */
function isPaired(test: ShapeComparison): boolean {
  return test.noise?.betweenRunsSource === 'none';
}

export function shapeTestLine(test: ShapeComparison, shown: (text: string) => string = (text) => text): string {
  const paired = isPaired(test);
  const named = test.question === 'recovery' ? `${SUBJECT.recovery} (${test.name.replace(/^recovery from /, '')})` : SUBJECT[test.question];
  const subject = paired ? named.replace('against the baseline', 'against the base') : named;
  const verdict = `${test.gated ? '' : 'reported: '}${VERDICT_WORDS[test.verdict]}`;
  const reason = test.reason === undefined ? '' : ` (${shown(test.reason)})`;
  if (test.change === null || test.ci === null || test.baseline === null) return `${subject}: ${verdict}${reason}.`;
  const against = paired ? 'the base in the same run' : `${test.baselineRuns} baseline run${test.baselineRuns === 1 ? '' : 's'}`;
  const values = test.current === null ? '' : `${valueOf(test, test.current)} against ${valueOf(test, test.baseline)} ${paired ? 'for' : 'over'} ${against}, `;
  const change = `${changeOf(test, test.change)} (CI ${changeOf(test, test.ci.low)} … ${changeOf(test, test.ci.high)})`;
  return `${subject}: ${values}${change}, allowed ${changeOf(test, test.allowedChange)}: ${verdict}${reason}.`;
}

/** One line per test, the gated ones first. */
export function shapeTestLines(tests: readonly ShapeComparison[], shown?: (text: string) => string): string[] {
  return [...tests.filter((t) => t.gated), ...tests.filter((t) => !t.gated)].map((test) => shapeTestLine(test, shown));
}

/** The markdown section: a heading and the lines, the gated ones first; empty without tests. */
export function renderShapeTests(tests: readonly ShapeComparison[] | undefined, shown: (text: string) => string): string {
  if (tests === undefined || tests.length === 0) return '';
  const heading = tests.every(isPaired) ? "#### The head's shape against the base's" : "#### The run's shape against the baseline runs'";
  return [heading, '', ...shapeTestLines(tests, shown).map((line) => `- ${line}`)].join('\n');
}
