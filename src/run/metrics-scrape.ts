import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_METRICS_SERIES, type MetricsConfig } from '../config/metrics-config.js';
import type { ScrapeLog, TimedScrape } from '../record/target-metrics.js';
import type { RunRecord } from '../record/run-record-types.js';
import { MAX_TARGET_WARNINGS } from '../record/target-metrics.js';
import { ExpositionFormatError, readExposition, type ScrapedValue } from './prometheus-text.js';
import type { TargetTls } from './target-transport.js';

/**
 * Scrapes the target's Prometheus endpoint (the profile's `metrics`) beside the load, never in
 * it: once at the start, every `intervalMs`, and once at the stop. A scrape that fails (no answer,
 * an error status, text that is not the exposition format) is counted with its reason and the
 * run goes on; nothing here can fail a run or touch the latency gate.
 */

/** What the scrape needs from the world; tests pass a fake clock, timer and endpoint. */
export interface ScrapeDeps {
  /** The endpoint's text; throws (or rejects) when it cannot be had. */
  fetchText(url: string, timeoutMs: number): Promise<string>;
  /** Wall time, milliseconds since the epoch (the record's `startedAt` is on this clock). */
  now(): number;
  /** Calls `tick` every `ms` until cancelled. */
  every(ms: number, tick: () => void): { cancel(): void };
}

export interface ScrapeResult {
  scrapes: number;
  failed: number;
  warnings: string[];
  /** Successful scrapes, at wall times (ms since the epoch), in order. */
  taken: Array<{ atWallMs: number; values: Map<string, ScrapedValue> }>;
}

/** The longest a scrape may take: it must not pile up behind a slow endpoint. */
const MAX_SCRAPE_MS = 5_000;
/** The most an endpoint's answer may hold; a larger one is a failed scrape. */
export const MAX_EXPOSITION_BYTES = 4 * 1024 * 1024;

export class MetricsScrape {
  private readonly result: ScrapeResult = { scrapes: 0, failed: 0, warnings: [], taken: [] };
  private readonly warned = new Set<string>();
  private inFlight: Promise<void> | undefined;
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly config: MetricsConfig,
    private readonly deps: ScrapeDeps,
  ) {}

  /** The first scrape now, then one every interval (skipped while one is still answering). */
  start(): void {
    this.scrapeUnlessBusy();
    this.timer = this.deps.every(this.config.intervalMs, () => this.scrapeUnlessBusy());
  }

  /** Stops the timer, waits for a scrape in flight, takes the last one, and says what was scraped. */
  async stop(): Promise<ScrapeResult> {
    this.cancel();
    await this.inFlight;
    await this.scrape();
    return this.result;
  }

  /** Stops the timer without a last scrape (the run failed). */
  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private scrapeUnlessBusy(): void {
    if (this.inFlight !== undefined) return;
    this.inFlight = this.scrape().finally(() => {
      this.inFlight = undefined;
    });
  }

  private async scrape(): Promise<void> {
    this.result.scrapes += 1;
    let text: string;
    try {
      text = await this.deps.fetchText(this.config.url, Math.min(MAX_SCRAPE_MS, Math.max(1_000, this.config.intervalMs)));
    } catch (error) {
      this.fail(`scraping ${this.config.url} failed: ${reason(error)}`);
      return;
    }
    const atWallMs = this.deps.now();
    try {
      const read = readExposition(text, this.config.series, MAX_METRICS_SERIES);
      for (const name of read.missing) this.warn(`${name} is not among the counters, gauges and untyped metrics ${this.config.url} exposes`);
      for (const series of read.notFinite) this.warn(`${series} had a value that is not a finite number (NaN or ±Inf); left out`);
      if (read.dropped > 0) this.warn(`the series named hold more than ${MAX_METRICS_SERIES} label sets; the first ${MAX_METRICS_SERIES} are kept`);
      this.result.taken.push({ atWallMs, values: read.values });
    } catch (error) {
      if (!(error instanceof ExpositionFormatError)) throw error;
      this.fail(`${this.config.url} answered ${error.message}`);
    }
  }

  private fail(message: string): void {
    this.result.failed += 1;
    this.warn(message);
  }

  /** Each distinct warning once, at most MAX_TARGET_WARNINGS of them. */
  private warn(message: string): void {
    if (this.warned.has(message) || this.warned.size >= MAX_TARGET_WARNINGS) return;
    this.warned.add(message);
    this.result.warnings.push(message);
  }
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 200);
}

/**
 * The scrapes laid on the run's clock: times from the start of the measured period, which began
 * after the setup and the warm-up (`startedAt` is taken before the setup).
 */
export function scrapeLog(config: MetricsConfig, result: ScrapeResult, record: Pick<RunRecord, 'meta' | 'setup'>): ScrapeLog {
  const measuredStart = Date.parse(record.meta.startedAt) + (record.setup?.durationMs ?? 0) + record.meta.warmupMs;
  const taken: TimedScrape[] = result.taken.map((s) => ({ atMs: s.atWallMs - measuredStart, values: s.values }));
  return { url: config.url, intervalMs: config.intervalMs, scrapes: result.scrapes, failed: result.failed, warnings: result.warnings, taken };
}

/**
 * A paired run (head and base in alternating blocks) does not scrape: one endpoint cannot say
 * which arm each CPU-second went to. The warning a profile with `metrics:` gets there.
 */
export function pairedRunScrapeWarning(config: Pick<MetricsConfig, 'url'>): string {
  return `metrics: a paired run does not scrape ${config.url} (head and base share each second, and one endpoint cannot say which arm its CPU went to); the target's CPU per request and memory are measured and gated only by runs against a stored baseline (tailgate run without --baseline-target)`;
}

/**
 * The real world: wall time, `setInterval` (unref'd), and an HTTP GET that holds no connection
 * open, its TLS handshake as the load's (`insecureSkipTLSVerify`, `tlsCaFile`: `tls`). It goes
 * direct, never through the environment's proxy.
 */
export function realScrapeDeps(tls: TargetTls = {}): ScrapeDeps {
  return {
    fetchText: (url, timeoutMs) => fetchExposition(url, timeoutMs, tls),
    now: () => Date.now(),
    every: (ms, tick) => {
      const handle = setInterval(tick, ms);
      handle.unref();
      return { cancel: () => clearInterval(handle) };
    },
  };
}

/** GETs `url` as text, refusing an error status, a body over MAX_EXPOSITION_BYTES and an answer slower than `timeoutMs`; `tls` for an https url. */
export function fetchExposition(url: string, timeoutMs: number, tls: TargetTls = {}): Promise<string> {
  const https = url.startsWith('https:');
  const request = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, headers: { accept: 'text/plain;version=0.0.4' }, timeout: timeoutMs, ...(https ? tls : {}) }, (res: IncomingMessage) => {
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_EXPOSITION_BYTES) {
          req.destroy(new Error(`the answer is larger than ${MAX_EXPOSITION_BYTES / 1024 / 1024} MiB`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
