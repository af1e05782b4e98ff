import type { ErrorKind } from '../record/run-record-types.js';
import type { FormatSpec, ImportedLine, LineReader } from './imported-line.js';

/**
 * Gatling's text `simulation.log` (the versions before 3.12; 3.12 writes a binary file, refused
 * by detect-format.ts): one record a line, its fields separated by tabs, its kind first.
 *
 *   RUN      class, simulation id, start (ms), description, Gatling version
 *   USER     scenario, [user id,] START or END, time (ms)[, time]
 *   REQUEST  [user id,] groups, name, start (ms), end (ms), OK or KO, message
 *   GROUP    [user id,] groups, start, end, cumulated time, OK or KO
 *   ERROR    message, time; ASSERTION  base64
 *
 * The first 3.x versions write each user's id in USER and REQUEST lines, the later ones do not:
 * a REQUEST is read by the two times followed by its status, wherever they stand, so both read
 * alike. A request's scenario is its user's where the id says so, else `default`.
 */
export const GATLING_LOG: FormatSpec = {
  format: 'gatling',
  tool: 'gatling',
  recordFormat: 'gatling-log',
  produce: 'Gatling (before 3.12) in results/<simulation>-<time>/simulation.log',
  newReader: () => new GatlingLogReader(),
};

const MS = /^\d{10,15}$/;

export class GatlingLogReader implements LineReader {
  readonly resolutionMs = 1;
  /** The Gatling version the RUN line names, when read. */
  version: string | undefined;
  /** Scenarios by user id (the versions that write it): a request's scenario. */
  private readonly scenarioOf = new Map<string, string>();
  private users = 0;

  read(line: string): ImportedLine {
    if (line.trim() === '') return { kind: 'skip' };
    const fields = line.split('\t');
    switch (fields[0]) {
      case 'REQUEST':
        return this.request(fields);
      case 'USER':
        return this.user(fields);
      case 'RUN': {
        const version = fields.at(-1)?.trim();
        if (fields.length < 5) return { kind: 'malformed', reason: `a RUN line of ${fields.length} fields, not 6` };
        if (version && /^\d+\.\d+[\w.-]*$/.test(version)) this.version = version;
        return { kind: 'skip' };
      }
      case 'GROUP':
      case 'ERROR':
      case 'ASSERTION':
        return { kind: 'skip' };
      default:
        return { kind: 'malformed', reason: `it begins ${JSON.stringify((fields[0] ?? '').slice(0, 20))}, not RUN, USER, REQUEST, GROUP, ERROR or ASSERTION` };
    }
  }

  private user(fields: string[]): ImportedLine {
    const event = fields.findIndex((f, i) => i >= 2 && (f === 'START' || f === 'END'));
    if (event < 0 || !MS.test(fields[event + 1] ?? '')) return { kind: 'malformed', reason: 'a USER line without START or END and its time' };
    const scenario = fields[1] ?? '';
    if (event === 3) this.scenarioOf.set(fields[2] as string, scenario);
    this.users += fields[event] === 'START' ? 1 : -1;
    return fields[event] === 'START' ? { kind: 'vus', value: this.users } : { kind: 'skip' };
  }

  private request(fields: string[]): ImportedLine {
    // The start and end, then OK or KO: at 3 (no user id) or 4 (with it); Gatling 2 put the scenario first, at 5.
    const at = [3, 4, 5].find((i) => MS.test(fields[i] ?? '') && MS.test(fields[i + 1] ?? '') && /^(OK|KO)$/.test(fields[i + 2] ?? ''));
    if (at === undefined) {
      if (fields.length < 7) return { kind: 'malformed', reason: `a REQUEST line of ${fields.length} fields, cut short?` };
      return { kind: 'malformed', reason: 'a REQUEST line without its start and end times (ms) followed by OK or KO' };
    }
    const name = fields[at - 1] ?? '';
    if (name.trim() === '') return { kind: 'malformed', reason: 'a REQUEST without a name' };
    const start = Number(fields[at]);
    const end = Number(fields[at + 1]);
    if (end < start) return { kind: 'malformed', reason: `it ends (${end}) before it starts (${start})` };
    const ok = fields[at + 2] === 'OK';
    const message = fields.slice(at + 3).join(' ').trim();
    const scenario = at === 5 ? fields[1] : at === 4 ? this.scenarioOf.get(fields[1] as string) : undefined;
    const failure = ok ? undefined : failureOf(message);
    return {
      kind: 'request',
      request: {
        step: name,
        scenario: scenario || 'default',
        startMs: start,
        // A failure without a response (refused, reset, DNS, TLS) has no latency worth keeping; a timeout keeps its time, a lower bound.
        latencyUs: failure === undefined || failure.status !== undefined || failure.error === 'timeout' || failure.error === 'status' ? (end - start) * 1000 : undefined,
        status: failure?.status,
        error: failure?.error,
      },
    };
  }
}

/**
 * Why Gatling marked a request KO, from its message: a check on the status names the status it
 * found ("status.find.in([200, 209], 304), found 500"; Gatling 2: "but actually found 500"); a transport failure names its
 * exception. Another failed check (a body or header check) got a response: a `status` error
 * without a status, as JMeter's failed assertions are.
 */
function failureOf(message: string): { error: ErrorKind; status?: number } {
  const found = /\bfound (\d{3})\b/.exec(message);
  if (found) return { error: 'status', status: Number(found[1]) };
  if (/timeout|timed out/i.test(message)) return { error: 'timeout' };
  if (/ConnectException|Connection refused/i.test(message)) return { error: 'refused' };
  if (/UnknownHost|DNS|resolve/i.test(message)) return { error: 'dns' };
  if (/SSL|TLS|handshake|certificate/i.test(message)) return { error: 'tls' };
  if (/reset|closed|PrematureClose|Broken pipe/i.test(message)) return { error: 'reset' };
  return { error: 'status' };
}
