/**
 * The phases of one request as k6 names them, each kept as a histogram per scenario and step
 * (`StepTotals`, microseconds). Together they cover a request from the moment a virtual user
 * hands it to the connection pool to the last byte of its response:
 *
 *   blocked         handed to the pool until it starts on a connection: waiting for a free
 *                   connection and, for a new one, its DNS lookup, TCP connect and TLS handshake
 *                   (k6 counts them in http_req_blocked too)
 *   connecting      the TCP connect of a new connection; 0 on a reused one
 *   tlsHandshaking  the TLS handshake of a new https connection; 0 otherwise
 *   sending         writing the request (headers and body) to the connection
 *   waiting         from the request written to its response's final headers (time to first byte)
 *   receiving       from those headers to the response's last byte
 */
export const REQUEST_PHASES = ['blocked', 'connecting', 'tlsHandshaking', 'sending', 'waiting', 'receiving'] as const;

export type RequestPhase = (typeof REQUEST_PHASES)[number];

/** Each phase's k6 metric name, as thresholds write it. */
export const PHASE_METRICS = {
  blocked: 'http_req_blocked',
  connecting: 'http_req_connecting',
  tlsHandshaking: 'http_req_tls_handshaking',
  sending: 'http_req_sending',
  waiting: 'http_req_waiting',
  receiving: 'http_req_receiving',
} as const satisfies Record<RequestPhase, string>;

export type PhaseMetric = (typeof PHASE_METRICS)[RequestPhase];

/** Whether a metric name is one of the phases'. */
export function isPhaseMetric(metric: string): metric is PhaseMetric {
  return phaseOfMetric(metric) !== undefined;
}

/** The phase a k6 metric name times, or undefined for another name. */
export function phaseOfMetric(metric: string): RequestPhase | undefined {
  return REQUEST_PHASES.find((phase) => PHASE_METRICS[phase] === metric);
}

/**
 * The histograms a scenario's step totals may hold beside its latencies, each absent in a record
 * older than it: the latencies of the expected responses (`{expected_response:true}`) and the phases.
 */
export const OPTIONAL_TOTALS_HISTOGRAMS = ['expected', ...REQUEST_PHASES] as const;

/** One request's phases, milliseconds (fractions kept), for a request that got a whole response. */
export interface RequestTimings {
  blockedMs: number;
  connectingMs: number;
  tlsHandshakingMs: number;
  sendingMs: number;
  waitingMs: number;
  receivingMs: number;
}
