import { writeFile } from 'node:fs/promises';
import type { Comparison } from '../compare/comparison-types.js';
import type { ComparedRecords } from '../report/baseline-trend.js';
import { renderReport } from '../report/render-report.js';

/** The comparison as JSON and the report as markdown; `records` give the report's p95 trend, the clock the baseline's age. */
export async function writeOutputs(comparison: Comparison, json: string | undefined, markdown: string | undefined, records?: ComparedRecords): Promise<void> {
  if (json) await writeFile(json, `${JSON.stringify(comparison, null, 1)}\n`);
  if (markdown) await writeFile(markdown, `${renderReport(comparison, { now: new Date(), ...(records ? { records } : {}) })}\n`);
}
