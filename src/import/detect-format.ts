import type { ImportFormat } from './imported-line.js';

/** What the first lines of a file say it is: a format `tailgate import` reads, or what it looks like instead. */
export type Detected = { format: ImportFormat; looksLike: string } | { format: undefined; looksLike: string };

/** What the binary simulation.log of Gatling 3.12 and later is called in messages: its layout is Gatling's own, not documented for other readers. */
export const GATLING_BINARY =
  "the binary simulation.log of Gatling 3.12 or later, whose layout is not documented for other tools and which tailgate import does not read (run the simulation with Gatling 3.11 or earlier, which writes the text log, or gate its load as a tailgate profile)";

/** How each readable format is named in messages, with the command that writes it. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  k6: 'k6 --out json',
  'k6-csv': 'k6 --out csv',
  jmeter: 'a JMeter JTL CSV',
  gatling: "Gatling's simulation.log (before 3.12)",
  locust: "Locust's --csv-full-history (stats_history.csv)",
  artillery: "Artillery's --output JSON report",
};

/**
 * Tells a results file's format from its first non-empty lines (a few are enough: each format
 * announces itself in its first line or header). Pure: the caller reads the lines.
 */
export function detectFormat(firstLines: readonly string[], fileName?: string): Detected {
  const lines = firstLines.map((l) => l.replace(/^\uFEFF/, '').trim()).filter((l) => l !== '');
  const first = lines[0];
  if (first === undefined) return { format: undefined, looksLike: 'an empty file' };
  if (first.startsWith('{')) return jsonKind(first, lines.join('\n'));
  if (/^<\?xml|^<testResults/.test(first)) return { format: undefined, looksLike: 'a JMeter JTL in XML (tailgate reads the CSV form: jmeter.save.saveservice.output_format=csv)' };
  const header = first.split(',').map((f) => f.replace(/^"|"$/g, ''));
  const has = (...names: string[]): boolean => names.every((n) => header.includes(n));
  if (has('metric_name', 'timestamp', 'metric_value')) return { format: 'k6-csv', looksLike: FORMAT_NAMES['k6-csv'] };
  if (has('timeStamp', 'elapsed', 'label')) return { format: 'jmeter', looksLike: FORMAT_NAMES.jmeter };
  if (has('Timestamp', 'User Count', 'Type', 'Name')) return { format: 'locust', looksLike: FORMAT_NAMES.locust };
  if (has('Type', 'Name', 'Request Count')) return { format: undefined, looksLike: "Locust's --csv summary (stats.csv), which holds no requests or windows to gate" };
  if (/^\d{10,13},\d+,/.test(first)) return { format: undefined, looksLike: 'a JMeter JTL CSV without its header line (save it with jmeter.save.saveservice.print_field_names=true)' };
  if (/^(RUN|REQUEST|USER|GROUP|ASSERTION|ERROR)\t/.test(first)) return { format: 'gatling', looksLike: FORMAT_NAMES.gatling };
  if (/[\x00-\x08\x0e-\x1f]/.test(first)) {
    // Gatling 3.12 and later write simulation.log in a binary layout of their own, which names the
    // simulation and the Gatling version near its start.
    if (fileName?.endsWith('simulation.log') || /gatling|simulation|\b3\.(1[2-9]|[2-9]\d)\.\d+\b/i.test(first)) return { format: undefined, looksLike: GATLING_BINARY };
    return { format: undefined, looksLike: 'a binary file, not text' };
  }
  return { format: undefined, looksLike: `a file of no format tailgate import reads (it begins ${JSON.stringify(first.slice(0, 60))})` };
}

function jsonKind(first: string, text: string): Detected {
  let data: unknown;
  try {
    data = JSON.parse(first);
  } catch {
    // A JSON document over several lines: a run record, an Artillery report (its "aggregate" first,
    // then its "intermediate" windows), or something else.
    if (/"schema"\s*:\s*"tailgate\.run\//.test(text)) return { format: undefined, looksLike: 'a tailgate run record already (compare it as it is)' };
    if (/"aggregate"\s*:\s*\{/.test(text) || /"intermediate"\s*:\s*\[/.test(text)) return { format: 'artillery', looksLike: FORMAT_NAMES.artillery };
    return { format: undefined, looksLike: 'a JSON document, not k6 --out json (one JSON object a line)' };
  }
  const line = data as { type?: unknown; metric?: unknown; schema?: unknown } | null;
  if (line !== null && typeof line === 'object' && (line.type === 'Metric' || line.type === 'Point') && typeof line.metric === 'string') {
    return { format: 'k6', looksLike: FORMAT_NAMES.k6 };
  }
  if (line !== null && typeof line === 'object' && typeof line.schema === 'string' && line.schema.startsWith('tailgate.')) {
    return { format: undefined, looksLike: `a tailgate record already (${line.schema})` };
  }
  return { format: undefined, looksLike: 'JSON of another kind, not k6 --out json' };
}
