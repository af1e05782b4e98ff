import type { ErrorKind } from '../record/run-record-types.js';
import { csvFields } from './csv-fields.js';
import type { FormatSpec, ImportedLine, LineReader } from './imported-line.js';

/**
 * JMeter's JTL results in CSV (`jmeter -n -t plan.jmx -l results.jtl`): a header line naming the
 * columns it saved, then one sample a line. Columns are found by name, so the old sets (JMeter 2:
 * timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,...)
 * and the new (5: ...,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,
 * Connect) read alike. `timeStamp` is when the sample started (JMeter's default,
 * sampleresult.timestamp.start=true), in ms; `elapsed` its time in ms.
 */
export const JMETER_CSV: FormatSpec = {
  format: 'jmeter',
  tool: 'jmeter',
  recordFormat: 'jmeter-csv',
  produce: 'jmeter -n -t plan.jmx -l results.jtl',
  newReader: () => new JmeterCsvReader(),
};

const REQUIRED = ['timeStamp', 'elapsed', 'label'] as const;

export class JmeterCsvReader implements LineReader {
  private columns: Map<string, number> | undefined;
  readonly resolutionMs = 1;

  read(line: string): ImportedLine {
    if (line.trim() === '') return { kind: 'skip' };
    const fields = csvFields(line);
    if (!fields) return { kind: 'malformed', reason: 'a quoted field is left open (cut short?)' };
    if (!this.columns) {
      if (!REQUIRED.every((name) => fields.includes(name))) return { kind: 'malformed', reason: 'before the header (timeStamp,elapsed,label,...)' };
      this.columns = new Map(fields.map((name, i) => [name, i]));
      return { kind: 'skip' };
    }
    if (fields.length !== this.columns.size) return { kind: 'malformed', reason: `${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${this.columns.size}` };
    const field = (name: string): string | undefined => {
      const i = this.columns?.get(name);
      return i === undefined ? undefined : fields[i];
    };
    const stamp = field('timeStamp') ?? '';
    if (!/^\d{1,15}$/.test(stamp)) return { kind: 'malformed', reason: `timeStamp is ${JSON.stringify(stamp)}, not milliseconds since 1970 (save it so: jmeter.save.saveservice.timestamp_format=ms)` };
    const elapsed = field('elapsed') ?? '';
    if (!/^\d{1,10}$/.test(elapsed)) return { kind: 'malformed', reason: `elapsed is ${JSON.stringify(elapsed)}, not whole milliseconds` };
    const label = field('label');
    if (!label) return { kind: 'malformed', reason: 'the label is empty' };
    const code = field('responseCode') ?? '';
    const status = /^[1-9]\d\d$/.test(code) ? Number(code) : undefined;
    const success = field('success');
    const failed = success === 'false' || (success === undefined && (status === undefined || status >= 400));
    const error: ErrorKind | undefined = !failed ? undefined : status !== undefined ? 'status' : transportError(`${code} ${field('responseMessage') ?? ''} ${field('failureMessage') ?? ''}`);
    const threadName = field('threadName') ?? '';
    const url = field('URL');
    const threads = Number(field('allThreads'));
    return {
      kind: 'request',
      ...(Number.isInteger(threads) && threads > 0 ? { vus: threads } : {}),
      request: {
        step: label,
        // JMeter names a thread "GROUP N-M": its thread group is the scenario.
        scenario: threadName.replace(/ \d+-\d+$/, '') || 'default',
        startMs: Number(stamp),
        latencyUs: status !== undefined || error === 'timeout' ? Number(elapsed) * 1000 : undefined,
        status,
        error,
        ...(url && url !== 'null' ? { url } : {}),
      },
    };
  }
}

/** A failure without an HTTP status, by the Java exception JMeter reports ("Non HTTP response code: java.net.ConnectException"). */
function transportError(text: string): ErrorKind {
  if (/SocketTimeout|timed out|Timeout/i.test(text)) return 'timeout';
  if (/ConnectException|Connection refused/i.test(text)) return 'refused';
  if (/UnknownHost/i.test(text)) return 'dns';
  if (/SSL|TLS|handshake/i.test(text)) return 'tls';
  if (/reset|SocketException|NoHttpResponse|Broken pipe/i.test(text)) return 'reset';
  return 'other';
}
