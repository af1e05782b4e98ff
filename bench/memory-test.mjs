import { tailgate } from './generators.mjs';
import { runMeasured } from './measured-process.mjs';
import { rssAt } from './bench-summary.mjs';

const GENERATOR_CORE = 0;
// Long enough for V8 to size its young generation to the request rate, so RSS has settled.
const SHORT_RUN_S = 10;
/** The long run must make at least this many requests to count. */
export const REQUIRED_REQUESTS = 1_000_000;
const SAMPLE_EVERY_MS = 250;
export const RSS_FRACTIONS = [0.1, 0.5, 0.9];

/**
 * Runs tailgate twice against one target: a short run, then a long one sized from the measured
 * rate to make `aimedRequests` requests (capped at `capS`; at least 1,000,000 to count), with RSS sampled from /proc.
 * The engine keeps histograms only, so the long run's memory should match the short one's; the
 * live JS heap after each full GC (from node's --trace-gc) shows it without V8's headroom.
 */
export async function runMemoryTest(tools, { target, connections, tailgateRps, aimedRequests, capS, tmpDir, cli, logger }) {
  const longS = Math.min(capS, Math.max(SHORT_RUN_S * 2, Math.ceil((aimedRequests * 1.15) / tailgateRps)));
  const runs = [];
  for (const durationS of [SHORT_RUN_S, longS]) {
    logger.info(`memory: tailgate ${connections} VUs for ${durationS}s against ${target.kind}`);
    const spec = tailgate.command({ url: target.url, connections, durationS, tmpDir, tools, cli });
    // --trace-gc (a node flag, tailgate unchanged) prints the live JS heap after every full GC.
    const traced = { ...spec, args: ['--trace-gc', ...spec.args] };
    const result = await runMeasured(tools, { ...traced, core: GENERATOR_CORE, limitS: durationS + 60, tmpDir, sampleRssEveryMs: SAMPLE_EVERY_MS });
    if (result.exitCode !== 0) throw new Error(`tailgate failed in the memory test (exit ${result.exitCode ?? result.signal}): ${result.stderr.slice(-500)}`);
    const parsed = tailgate.parse(result, spec);
    // The load is the last `durationS` of the process's life (start-up comes before it).
    const startMs = Math.max(0, (result.wallS - durationS) * 1000);
    const last = result.rssSamples.at(-1);
    runs.push({
      durationS,
      requests: parsed.requests,
      rps: parsed.rps,
      errors: parsed.errors,
      peakRssBytes: Math.max(result.maxRssBytes ?? 0, last?.peak ?? 0),
      selfReportedPeakRssBytes: parsed.self.maxRssBytes,
      rssAtBytes: rssAt(result.rssSamples, startMs, durationS * 1000, RSS_FRACTIONS),
      rssAtEndBytes: last?.rss,
      samples: result.rssSamples.length,
      heapAfterFullGcBytes: heapAfterFullGc(result.stdout),
    });
  }
  const [short, long] = runs;
  return {
    target: target.kind,
    connections,
    short,
    long,
    reachedRequiredRequests: long.requests >= REQUIRED_REQUESTS,
    requiredRequests: REQUIRED_REQUESTS,
    aimedRequests,
    /**
     * Peak RSS of the long run over the short one's: about 1 when memory is bounded (the young
     * generation is capped and records are encoded without piling up buffers; see
     * src/run/young-generation.ts and src/record/histogram.ts), a ratio so a busy machine's
     * absolute figures do not decide it.
     */
    peakRssRatio: short.peakRssBytes > 0 ? long.peakRssBytes / short.peakRssBytes : undefined,
    /** Peak-RSS growth per request added by the long run: ~0 when memory is flat. */
    bytesPerExtraRequest: long.requests > short.requests ? (long.peakRssBytes - short.peakRssBytes) / (long.requests - short.requests) : undefined,
  };
}

/** Live JS heap after each Mark-Compact, from --trace-gc lines "Mark-Compact 22.1 (86.1) -> 13.2 (83.2) MB". */
export function heapAfterFullGc(traceGcOutput) {
  const sizes = [];
  for (const m of traceGcOutput.matchAll(/Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g)) {
    sizes.push(Number(m[1]) * 1048576);
  }
  return sizes;
}
