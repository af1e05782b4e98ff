/**
 * Pure math over the bench's runs: per target and generator the medians over repetitions, and
 * tailgate's ratios to each peer. A run is { target, generator, rep, ok, requests, rps, errors,
 * cpuS, wallS, maxRssBytes, targetCpuS, latencyMs }.
 */

/** A core counts as saturated above this share of its time. */
export const SATURATED = 0.9;
/** Other work above this many cores during runs makes the comparison noisy. */
export const BUSY_ELSEWHERE = 0.15;

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarizeGenerator(runs) {
  const ok = runs.filter((r) => r.ok);
  const rps = ok.map((r) => r.rps);
  const medianRps = median(rps);
  const genCore = median(ok.map((r) => r.cpuS / r.wallS));
  const targetCore = median(ok.map((r) => r.targetCpuS / r.wallS));
  return {
    runs: runs.length,
    failed: runs.length - ok.length,
    rps: medianRps,
    /** (max - min) / median of rps over repetitions. */
    rpsSpread: ok.length > 1 && medianRps ? (Math.max(...rps) - Math.min(...rps)) / medianRps : undefined,
    cpuUsPerRequest: median(ok.map((r) => (r.cpuS * 1e6) / r.requests)),
    /** The same split into user space (the generator's own code) and kernel (socket calls). */
    userUsPerRequest: median(ok.map((r) => (r.userS * 1e6) / r.requests)),
    sysUsPerRequest: median(ok.map((r) => (r.sysS * 1e6) / r.requests)),
    generatorCore: genCore,
    targetCore,
    bound: boundBy(genCore, targetCore),
    /** Cores kept busy by everything else (other processes) during the runs: noise when high. */
    othersCores: median(ok.map((r) => (r.othersCpuS === undefined ? undefined : r.othersCpuS / r.wallS))),
    maxRssBytes: median(ok.map((r) => r.maxRssBytes)),
    errors: ok.reduce((sum, r) => sum + r.errors, 0),
    requests: median(ok.map((r) => r.requests)),
    p50Ms: median(ok.map((r) => r.latencyMs?.p50)),
    p99Ms: median(ok.map((r) => r.latencyMs?.p99)),
    latencyResolutionMs: ok.find((r) => r.latencyResolutionMs !== undefined)?.latencyResolutionMs,
  };
}

function boundBy(generatorCore, targetCore) {
  if (generatorCore === undefined || targetCore === undefined) return undefined;
  const gen = generatorCore >= SATURATED;
  const target = targetCore >= SATURATED;
  return gen && target ? 'both' : gen ? 'generator' : target ? 'target' : 'neither';
}

/** { [target]: { generators: { [name]: summary }, ratios: { [peer]: { rps, cpuPerRequest } } } } */
export function summarizeRuns(runs, targetKinds, generatorNames) {
  const byTarget = {};
  for (const target of targetKinds) {
    const generators = {};
    for (const name of generatorNames) {
      const mine = runs.filter((r) => r.target === target && r.generator === name);
      if (mine.length > 0) generators[name] = summarizeGenerator(mine);
    }
    const ratios = {};
    const own = generators.tailgate;
    for (const [name, peer] of Object.entries(generators)) {
      if (name === 'tailgate' || !own) continue;
      ratios[name] = {
        rps: ratio(own.rps, peer.rps),
        cpuPerRequest: ratio(own.cpuUsPerRequest, peer.cpuUsPerRequest),
        ...perRepetition(runs.filter((r) => r.target === target), name),
      };
    }
    byTarget[target] = { generators, ratios };
  }
  return byTarget;
}

/**
 * tailgate's rps ratio to a peer within each repetition (the two ran minutes apart at most, in
 * the same conditions): its range and in how many repetitions tailgate drove more. Drift between
 * repetitions cancels out of these, which the ratio of medians cannot promise.
 */
function perRepetition(runs, peer) {
  const reps = [...new Set(runs.map((r) => r.rep))];
  const ratios = reps.flatMap((rep) => {
    const own = runs.find((r) => r.rep === rep && r.generator === 'tailgate' && r.ok);
    const other = runs.find((r) => r.rep === rep && r.generator === peer && r.ok);
    return own && other && other.rps > 0 ? [own.rps / other.rps] : [];
  });
  if (ratios.length === 0) return {};
  return { rpsByRepetition: { low: Math.min(...ratios), high: Math.max(...ratios), ahead: ratios.filter((r) => r > 1).length, of: ratios.length } };
}

function ratio(a, b) {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

/** RSS at fractions of the load period, from samples taken every few hundred ms. */
export function rssAt(samples, startMs, durationMs, fractions) {
  return fractions.map((fraction) => {
    const at = startMs + fraction * durationMs;
    let best;
    for (const s of samples) if (s.atMs <= at) best = s;
    return best?.rss;
  });
}

/**
 * The engine's cost of parsing Server-Timing: tailgate against the target that sends the header
 * (`node-st`) over tailgate against the same server without it (`node`), per repetition (the two
 * ran in the same repetition, a run apart) and their median: its rate (`ratio`, 0.95 or more is
 * within 5%), and its CPU per request (`cpuPerRequestRatio`, which a busy machine moves less).
 * Undefined without both targets.
 */
export function serverTimingRatio(runs) {
  const run = (target, rep) => runs.find((r) => r.ok && r.generator === 'tailgate' && r.target === target && r.rep === rep);
  const reps = [...new Set(runs.map((r) => r.rep))].sort((a, b) => a - b);
  const pairs = reps.flatMap((rep) => {
    const withHeader = run('node-st', rep);
    const without = run('node', rep);
    return withHeader && without && without.rps > 0 && without.cpuS > 0 ? [{ rps: withHeader.rps / without.rps, cpu: withHeader.cpuS / withHeader.requests / (without.cpuS / without.requests) }] : [];
  });
  if (pairs.length === 0) return undefined;
  const middle = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  return { ratio: middle(pairs.map((p) => p.rps)), byRepetition: pairs.map((p) => p.rps), cpuPerRequestRatio: middle(pairs.map((p) => p.cpu)), cpuByRepetition: pairs.map((p) => p.cpu) };
}
