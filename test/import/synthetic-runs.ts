import { seededRandom } from '../../src/stats/seeded-random.js';

/**
 * Seeded runs of known truth, written as k6 and JMeter write their results, for the import
 * tests: a shop of three steps whose latencies are log-normal around known medians, one step
 * slowed by a known factor when asked. The same seed writes the same file.
 */
export interface SyntheticRequest {
  step: string;
  /** Set for requests the script named (k6's name tag); k6 names the others by their URL. */
  named: boolean;
  url: string;
  method: string;
  scenario: string;
  startMs: number;
  durationMs: number;
  status: number;
  expected: boolean;
}

export interface SyntheticOptions {
  seed: number;
  seconds?: number;
  /** Iterations (list, detail, order) a second. */
  rate?: number;
  /** One step made slower: its latencies times `factor`. */
  slow?: { step: string; factor: number };
  /** When the run starts, ms since the epoch. */
  startMs?: number;
}

const ORIGIN = 'http://127.0.0.1:3000';
const LIST_URL = `${ORIGIN}/api/products`;
export const STEP_NAMES = [LIST_URL, 'product detail', 'place order'] as const;

export function syntheticRequests(options: SyntheticOptions): SyntheticRequest[] {
  const random = seededRandom(options.seed);
  const seconds = options.seconds ?? 20;
  const rate = options.rate ?? 20;
  const start = options.startMs ?? Date.UTC(2026, 11, 1, 12, 0, 0);
  // Runs differ a little in level, as runs on a shared runner do.
  const level = Math.exp(0.03 * random.normal());
  const latency = (step: string, median: number, sigma: number): number =>
    median * level * Math.exp(sigma * random.normal()) * (options.slow?.step === step ? options.slow.factor : 1);
  const requests: SyntheticRequest[] = [];
  for (let i = 0; i < seconds * rate; i++) {
    let at = start + (i * 1000) / rate + random.next() * 5;
    const list = latency(LIST_URL, 6, 0.35);
    requests.push({ step: LIST_URL, named: false, url: LIST_URL, method: 'GET', scenario: 'default', startMs: at, durationMs: list, status: 200, expected: true });
    at += list + 0.2;
    const id = 1 + Math.floor(random.next() * 21);
    const detail = latency('product detail', 4, 0.3);
    const status = id === 21 ? 404 : 200;
    requests.push({ step: 'product detail', named: true, url: `${ORIGIN}/api/products/${id}`, method: 'GET', scenario: 'default', startMs: at, durationMs: detail, status, expected: status === 200 });
    at += detail + 0.2;
    const order = latency('place order', 12, 0.4);
    requests.push({ step: 'place order', named: true, url: `${ORIGIN}/api/orders`, method: 'POST', scenario: 'default', startMs: at, durationMs: order, status: 201, expected: true });
  }
  return requests;
}

/** k6's RFC 3339 time with nanoseconds, as its JSON output writes it. */
function k6Time(ms: number): string {
  const whole = Math.floor(ms);
  const nanos = Math.round((ms - whole) * 1e6);
  return new Date(whole).toISOString().replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}${String(nanos).padStart(6, '0')}Z`);
}

const K6_METRICS: Record<string, [string, string]> = {
  vus: ['gauge', 'default'],
  http_reqs: ['counter', 'default'],
  http_req_duration: ['trend', 'time'],
  http_req_blocked: ['trend', 'time'],
  http_req_waiting: ['trend', 'time'],
  http_req_failed: ['rate', 'default'],
  checks: ['rate', 'default'],
  data_received: ['counter', 'data'],
  iterations: ['counter', 'default'],
  iteration_duration: ['trend', 'time'],
};

/**
 * The run as `k6 run --out json` writes it (k6's docs, "JSON output"): a Metric line the first
 * time each metric appears, then Point lines; each request brings its timing metrics, its
 * failed rate and a check, each iteration its count and duration, each second the VUs.
 */
export function k6Json(requests: readonly SyntheticRequest[]): string {
  const lines: string[] = [];
  const declared = new Set<string>();
  const point = (metric: string, timeMs: number, value: number, tags: Record<string, string> | null): void => {
    if (!declared.has(metric)) {
      declared.add(metric);
      const [type, contains] = K6_METRICS[metric] ?? ['counter', 'default'];
      lines.push(JSON.stringify({ type: 'Metric', data: { type, contains, thresholds: [], submetrics: null }, metric }));
    }
    lines.push(JSON.stringify({ type: 'Point', data: { time: k6Time(timeMs), value, tags }, metric }));
  };
  let second = -1;
  for (const [i, r] of requests.entries()) {
    const endMs = r.startMs + r.durationMs;
    const nowSecond = Math.floor(r.startMs / 1000);
    if (nowSecond !== second) {
      second = nowSecond;
      point('vus', r.startMs, 10, null);
    }
    const tags = {
      expected_response: String(r.expected),
      group: '',
      method: r.method,
      name: r.named ? r.step : r.url,
      proto: 'HTTP/1.1',
      scenario: r.scenario,
      status: String(r.status),
      tls_version: '',
      url: r.url,
    };
    point('http_reqs', endMs, 1, tags);
    point('http_req_duration', endMs, round(r.durationMs), tags);
    point('http_req_blocked', endMs, 0.004, tags);
    point('http_req_waiting', endMs, round(r.durationMs * 0.9), tags);
    point('http_req_failed', endMs, r.expected ? 0 : 1, tags);
    point('data_received', endMs, 988, { group: '', scenario: r.scenario });
    point('checks', endMs, r.status < 400 ? 1 : 0, { check: 'status is 2xx', group: '', scenario: r.scenario });
    if (i % 3 === 2) {
      point('iterations', endMs, 1, { group: '', scenario: r.scenario });
      point('iteration_duration', endMs, round(endMs - (requests[i - 2]?.startMs ?? r.startMs)), { group: '', scenario: r.scenario });
    }
  }
  return `${lines.join('\n')}\n`;
}

const K6_CSV_HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

/**
 * The run as `k6 run --out csv` writes it (k6's docs, "CSV output"): a header, then one sample a
 * line; timestamps in whole seconds (k6's default `timeFormat`, unix) or finer.
 */
export function k6Csv(requests: readonly SyntheticRequest[], timeFormat: 'unix' | 'unix_milli' = 'unix'): string {
  const lines = [K6_CSV_HEADER];
  const stamp = (ms: number): string => (timeFormat === 'unix' ? String(Math.floor(ms / 1000)) : String(Math.floor(ms)));
  for (const [i, r] of requests.entries()) {
    const endMs = r.startMs + r.durationMs;
    const name = r.named ? r.step : r.url;
    const row = (metric: string, value: number, check = ''): string =>
      [metric, stamp(endMs), value.toFixed(6), check, '', '', String(r.expected), '', r.method, name, 'HTTP/1.1', r.scenario, '', String(r.status), '', '', r.url, '', ''].join(',');
    lines.push(row('http_reqs', 1), row('http_req_duration', r.durationMs), row('http_req_waiting', r.durationMs * 0.9), row('http_req_failed', r.expected ? 0 : 1));
    lines.push(['checks', stamp(endMs), r.status < 400 ? '1.000000' : '0.000000', 'status is 2xx', '', '', '', '', '', '', '', r.scenario, '', '', '', '', '', '', ''].join(','));
    if (i % 3 === 2) lines.push(['iterations', stamp(endMs), '1.000000', '', '', '', '', '', '', '', '', r.scenario, '', '', '', '', '', '', ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A JMeter JTL made from a real one (test/fixtures/import/jmeter): every sample kept with its
 * label, status and thread, its time moved `offsetMs` later and its elapsed time redrawn around
 * the original (the run's level ±3%, each sample ±10%, log-normal), one label slowed when asked.
 */
export function deriveJtl(text: string, options: { seed: number; offsetMs: number; slow?: { step: string; factor: number } }): string {
  const random = seededRandom(options.seed);
  const level = Math.exp(0.03 * random.normal());
  const [header, ...rows] = text.trimEnd().split('\n');
  const columns = (header as string).split(',');
  const at = (name: string): number => columns.indexOf(name);
  const [stamp, elapsed, label, latency] = [at('timeStamp'), at('elapsed'), at('label'), at('Latency')];
  const out = rows.map((row) => {
    const fields = row.split(',');
    const slow = options.slow !== undefined && fields[label] === options.slow.step ? options.slow.factor : 1;
    const was = Number(fields[elapsed]);
    const now = Math.max(1, Math.round(was * level * Math.exp(0.1 * random.normal()) * slow));
    fields[stamp] = String(Number(fields[stamp]) + options.offsetMs);
    fields[elapsed] = String(now);
    if (latency >= 0) fields[latency] = String(Math.min(now, Math.round(Number(fields[latency]) * (now / Math.max(1, was)))));
    return fields.join(',');
  });
  return `${[header, ...out].join('\n')}\n`;
}

function round(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/**
 * The run as Gatling before 3.12 writes its text simulation.log (the layout of its
 * LogFileDataWriter): tab-separated records, a RUN line, each user's START and END, and a
 * REQUEST a response as it ends, its start and end in whole milliseconds; a status its check did
 * not expect is KO with the check's message. `userIds` writes the first 3.x layout, with each
 * user's id in USER and REQUEST lines.
 */
export function gatlingLog(requests: readonly SyntheticRequest[], options: { userIds?: boolean } = {}): string {
  const users = 10;
  const first = requests[0]?.startMs ?? 0;
  const events: Array<{ at: number; line: string }> = [];
  const name = (r: SyntheticRequest): string => (r.named ? r.step : 'list products');
  for (let u = 1; u <= users; u++) {
    const at = Math.floor(first) + u;
    events.push({ at, line: options.userIds ? `USER\tshop\t${u}\tSTART\t${at}\t${at}` : `USER\tshop\tSTART\t${at}` });
  }
  for (const [i, r] of requests.entries()) {
    const start = Math.floor(r.startMs);
    const end = Math.max(start, Math.floor(r.startMs + r.durationMs));
    const status = r.status < 400 ? 'OK\t ' : `KO\tstatus.find.in([200, 209], 304), found ${r.status}`;
    const user = options.userIds ? `${1 + (Math.floor(i / 3) % users)}\t` : '';
    events.push({ at: end, line: `REQUEST\t${user}\t${name(r)}\t${start}\t${end}\t${status}` });
  }
  const last = Math.max(...events.map((e) => e.at)) + 1;
  for (let u = 1; u <= users; u++) events.push({ at: last, line: options.userIds ? `USER\tshop\t${u}\tEND\t${Math.floor(first) + u}\t${last}` : `USER\tshop\tEND\t${last}` });
  events.sort((a, b) => a.at - b.at);
  const run = `RUN\tshop.ShopSimulation\tshopsimulation\t${Math.floor(first)}\t \t${options.userIds ? '3.3.1' : '3.11.5'}`;
  return `${[run, ...events.map((e) => e.line)].join('\n')}\n`;
}
