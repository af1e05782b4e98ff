import type { RunSource } from '../record/run-record-types.js';

const FORMAT_TEXT: Record<RunSource['format'], string> = {
  'k6-json': 'k6 --out json',
  'k6-csv': 'k6 --out csv',
  'jmeter-csv': "JMeter's JTL CSV",
  'locust-history': "Locust's --csv-full-history",
  'gatling-log': "Gatling's simulation.log",
  'artillery-json': "Artillery's --output JSON report",
};

/**
 * What a run summary says of an imported run (`meta.source`), so that no one reads another tool's
 * run as one tailgate measured: which tool and file, what tailgate could not check, and what the
 * file left out. Pure: the record's source in, lines out.
 */
export function describeSource(source: RunSource): string[] {
  const tool = source.version ? `${source.tool} ${source.version}` : source.tool;
  const lines = [`imported from ${FORMAT_TEXT[source.format]} (made by ${tool}, not by tailgate): tailgate's self-check of the load generator did not run`];
  const limits: string[] = [];
  limits.push(source.latencyFrom === 'actual-start' ? "latency timed from each request's actual start (a stalled generator hides the queueing it caused)" : "latency timed from each request's intended start");
  if (source.fidelity === 'aggregate') limits.push('only percentiles per window were in the file, not each request');
  if (source.timeResolutionMs >= 1000) limits.push(`request times known to ${source.timeResolutionMs / 1000} s`);
  if (source.malformedLines > 0) limits.push(`${source.malformedLines} malformed line${source.malformedLines === 1 ? '' : 's'} skipped`);
  lines.push(`  ${limits.join('; ')}`);
  return lines;
}
