import { generatorReadingsFor } from './generator-readings.js';
import { resolveCompareOptions } from '../compare/compare-options.js';
import type { Profile } from '../config/profile-types.js';
import { maskSecrets, shownTarget } from '../config/shown-values.js';
import { monotonicClock } from '../engine/clock.js';
import { abortWatchFor } from '../threshold/threshold-abort.js';
import { LoadRun, type RunContext } from '../engine/engine.js';
import { freshSeed } from '../engine/iteration-random.js';
import { createHttpClient, type PoolOptions } from '../engine/http-client.js';
import { checkAnswering, checkConnection, waitUntilReady } from '../engine/reachability.js';
import { SelfMonitor, type SelfCheckLimits } from '../engine/self-monitor.js';
import type { Logger } from '../logging.js';
import { buildPlan, type Plan } from '../plan/plan.js';
import type { RunnerFingerprint, RunRecord, TargetMetricsRecord } from '../record/run-record-types.js';
import { MAX_METRICS_SERIES } from '../config/metrics-config.js';
import { targetMetricsRecord } from '../record/target-metrics.js';
import { MetricsScrape, realScrapeDeps, scrapeLog, type ScrapeDeps } from './metrics-scrape.js';
import { startProgress } from './progress.js';
import type { RunIo } from './run-io.js';
import { takeRunnerFingerprint } from './runner-fingerprint.js';
import { capYoungGeneration } from './young-generation.js';
import { ProxyVariableError } from './proxy-env.js';
import { describeProxy, describeTransport, targetTransport, type TargetTransport } from './target-transport.js';
import { UserError } from '../user-error.js';
import { ConfigError } from '../config/config-error.js';

/** The run could not be made (an unreachable target, an interrupted run): exit 2, never a regression. */
export class CouldNotRunError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'CouldNotRunError';
  }
}

/**
 * Runs a loaded profile with the real clock and network, progress on stderr, and Ctrl-C or
 * SIGTERM turned into a clean stop. Refuses to start against an unreachable target.
 */
export async function executeProfile(
  profile: Profile,
  io: RunIo,
  /**
   * `seed`: the run's seed (`--seed`), before the profile's; neither: a fresh one. `fingerprint`:
   * what takes the runner's fingerprint before the load (tests pass a fixed one); by default this machine's.
   * `scrapeDeps`: how the profile's `metrics` endpoint is scraped (tests pass a fake); by default over HTTP on the wall clock.
   */
  options: { shard?: { index: number; count: number }; quiet?: boolean; waitForTargetMs?: number; seed?: number; fingerprint?: () => RunnerFingerprint; scrapeDeps?: ScrapeDeps } = {},
): Promise<RunRecord> {
  const plan = buildPlan(profile, options.shard);
  // What the log and the record show of the target: its values from the environment as ***.
  const logger = hidingSecrets(io.logger, profile.secrets);
  const transport = transportTo(profile, plan.origin, { ...io, logger });
  describeTransport(profile, [plan.origin], logger);
  await ensureReachable(plan.origin, options.waitForTargetMs, logger, { url: plan.origin + plan.basePath, headers: probeHeaders(profile), transport, secrets: profile.secrets });
  const http = createHttpClient(plan.origin, poolOptions(plan, transport));
  const seed = runSeed(profile, options.seed);
  const abortWatch = abortWatchFor(profile.thresholds);
  const run = new LoadRun(plan, { clock: monotonicClock(), http, seed, liveProgress: !options.quiet, monitor: generatorMonitor(profile, io), ...(abortWatch ? { abortWatch } : {}) });
  io.logger.info(
    `tailgate: ${profile.id} -> ${targetAsShown(profile, plan)}: ${plan.scenarios.length} scenario(s), ${(plan.durationMs / 1000).toFixed(0)}s${plan.shard ? `, shard ${plan.shard.index}/${plan.shard.count}` : ''}, seed ${seed}`,
  );
  // Before the load, so that the probe times the runner, not the runner under the load.
  const runnerFingerprint = (options.fingerprint ?? takeRunnerFingerprint)();
  // The target's own metrics, scraped beside the load (never in it): a failed scrape is a warning.
  const scrape = profile.metrics ? new MetricsScrape(profile.metrics, options.scrapeDeps ?? realScrapeDeps(transport.tls)) : undefined;
  scrape?.start();
  let measured: RunRecord;
  try {
    measured = await whileRunning(run, io, options.quiet, () => run.run(runContext(targetAsShown(profile, plan), io.env)), profile.secrets);
  } finally {
    scrape?.cancel();
  }
  const targetMetrics = scrape && profile.metrics ? shownMetrics(targetMetricsRecord(scrapeLog(profile.metrics, await scrape.stop(), measured), measured.blocks, MAX_METRICS_SERIES), profile.secrets) : undefined;
  for (const warning of targetMetrics?.warnings ?? []) logger.warn(`target metrics: ${warning}`);
  const record: RunRecord = { ...measured, meta: { ...measured.meta, runnerFingerprint }, ...(targetMetrics ? { targetMetrics } : {}) };
  const cut = record.overall.interrupted ?? 0;
  if (cut > 0) {
    io.logger.warn(
      `${cut} request(s) still in flight were cut off ${record.meta.interrupted || record.meta.aborted ? 'by the stop' : 'when gracefulStop expired'}; they are counted as interrupted (steps.<name>.interrupted), not as errors`,
    );
  }
  warnIfAborted(record, io.logger);
  return record;
}

/** The metrics' url and warnings as the record shows them: the profile's values from the environment as ***. */
function shownMetrics(metrics: TargetMetricsRecord, secrets: readonly string[]): TargetMetricsRecord {
  return { ...metrics, url: maskSecrets(metrics.url, secrets), warnings: metrics.warnings.map((w) => maskSecrets(w, secrets)) };
}

/** Says in the log which abortOnFail threshold stopped the run, if one did. */
export function warnIfAborted(record: RunRecord, logger: Logger): void {
  const aborted = record.meta.aborted;
  if (aborted) {
    logger.warn(`threshold ${aborted.metric}: ${aborted.expression} was broken ${(aborted.atMs / 1000).toFixed(1)}s into the measurement (observed ${Number(aborted.observed.toFixed(3))}): abortOnFail stopped the run`);
  }
}

/** How the load reaches `origin` (TLS trust, proxy), said in the log; a proxy variable that is not a URL cannot run. */
export function transportTo(profile: Profile, origin: string, io: RunIo): TargetTransport {
  let transport;
  try {
    transport = targetTransport(profile, origin, io.env);
  } catch (error) {
    if (error instanceof ProxyVariableError) throw new CouldNotRunError(error.message);
    throw error;
  }
  describeProxy(origin, transport.proxy, io.logger);
  return transport;
}

/** The pool of a plan's target: a connection per VU that can be busy, over the transport. */
export function poolOptions(plan: Pick<Plan, 'maxConcurrency'>, transport: TargetTransport): PoolOptions {
  return { connections: Math.max(1, plan.maxConcurrency), tls: transport.tls, ...(transport.proxy.proxy ? { proxy: transport.proxy.proxy } : {}) };
}

/** The run's seed: the command line's, else the profile's, else a fresh one (printed and recorded, so the run can be repeated). */
export function runSeed(profile: Pick<Profile, 'seed'>, given: number | undefined): number {
  return given ?? profile.seed ?? freshSeed();
}

/** The generator's self-check for a run of this profile: the process's readings (or the test's), the profile's limits. */
export function generatorMonitor(profile: Profile, io: RunIo): SelfMonitor {
  const readings = generatorReadingsFor(io);
  return new SelfMonitor({ limits: selfCheckLimits(profile), ...(readings ? { readings } : {}) });
}

/**
 * Runs `drive` (the load of `run`) with live progress on stderr unless quiet, and Ctrl-C or
 * SIGTERM turned into a clean stop that keeps what was measured. A user's error from the run (a
 * setup step that failed) leaves with each of `secrets` as ***.
 */
export async function whileRunning<T>(run: LoadRun, io: RunIo, quiet: boolean | undefined, drive: () => Promise<T>, secrets: readonly string[] = []): Promise<T> {
  const onSignal = (signal: NodeJS.Signals): void => {
    io.logger.warn(`${signal}: stopping the load, keeping what was measured`);
    run.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = quiet ? undefined : startProgress(() => run.progress(), io.stderr, { tty: io.isTty, env: io.env });
  // Peak memory stays that of a short run however long the load goes on (young-generation.ts).
  const youngGeneration = capYoungGeneration();
  try {
    return await drive();
  } catch (error) {
    hideSecretsIn(error, secrets);
    throw error;
  } finally {
    youngGeneration.release();
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Checks once that the target accepts a connection, and passes the TLS handshake for https (the CLI), or polls it for up to `waitMs` until
 * it answers HTTP (the Action: a preview may still be starting, behind a gateway that already
 * accepts connections); either way a target that never gets there is CouldNotRunError.
 */
export async function ensureReachable(
  origin: string,
  waitMs: number | undefined,
  logger: Logger,
  /**
   * `transport`: the check trusts what the load will (insecureSkipTLSVerify, tlsCaFile);
   * `secrets`: the profile's values from the environment, shown as *** in what it says.
   */
  probe: { url: string; headers: Record<string, string>; transport: TargetTransport; secrets?: readonly string[] },
  /** Which target, in messages: `target`, or `head target` / `base target` in paired mode. */
  subject = 'target',
): Promise<void> {
  const tls = probe.transport.tls;
  const proxy = probe.transport.proxy.proxy;
  const hide = (text: string): string => maskSecrets(text, probe.secrets ?? []);
  if (waitMs === undefined) {
    const unreachable = await checkConnection(origin, undefined, tls, proxy);
    if (unreachable) throw new CouldNotRunError(hide(`the ${subject} ${origin} is unreachable: ${unreachable.problem}. ${unreachable.fix}`));
    return;
  }
  const waitingFor = subject === 'target' ? probe.url : `the ${subject} ${probe.url}`;
  const problem = await waitUntilReady((timeoutMs) => checkAnswering(probe.url, probe.headers, timeoutMs, tls, proxy), waitMs, {
    onWait: (p) => logger.info(hide(`waiting for ${waitingFor}: ${p}`)),
  });
  if (problem) throw new CouldNotRunError(hide(`the ${subject} ${origin} never answered (wait-timeout ${waitMs / 1000}s): ${problem}`));
}

/** The self-check measures lateness against the changes the profile's gate allows. */
export function selfCheckLimits(profile: Profile): Partial<SelfCheckLimits> {
  const gate = resolveCompareOptions(profile.regression);
  return { allowedP95ChangePct: gate.p95Pct, allowedThroughputChangePct: gate.throughputPct };
}

/** The profile's default headers (a protection-bypass token, say), those without captured values. */
export function probeHeaders(profile: Profile): Record<string, string> {
  return Object.fromEntries(Object.entries(profile.headers).filter(([, value]) => !value.includes('{{')));
}

/** The plan's target as the log and the record show it: the profile's parts from the environment as ***. */
export function targetAsShown(profile: Profile, plan: Pick<Plan, 'origin' | 'basePath'>): string {
  const shown = shownTarget(profile);
  return shown !== profile.target ? shown : plan.origin + plan.basePath;
}

/** A logger that shows each of `secrets` as *** (the values a profile took from the environment). */
export function hidingSecrets(logger: Logger, secrets: readonly string[]): Logger {
  if (secrets.length === 0) return logger;
  return {
    info: (message) => logger.info(maskSecrets(message, secrets)),
    warn: (message) => logger.warn(maskSecrets(message, secrets)),
    error: (message) => logger.error(maskSecrets(message, secrets)),
  };
}

/**
 * Shows each of `secrets` as *** in a user's error, in its message and each problem's: a setup
 * step's failure quotes the HTTP client's own message, which may hold what the request carried.
 */
export function hideSecretsIn(error: unknown, secrets: readonly string[]): void {
  if (!(error instanceof UserError) || secrets.length === 0) return;
  error.message = maskSecrets(error.message, secrets);
  if (error instanceof ConfigError) {
    const problems = error.problems.map((p) => ({ ...p, message: maskSecrets(p.message, secrets), ...(p.fix !== undefined ? { fix: maskSecrets(p.fix, secrets) } : {}) }));
    Object.defineProperty(error, 'problems', { value: problems });
  }
}

/** What the CI environment says about this run (GitHub Actions' variables, when present). */
export function runContext(target: string, env: Record<string, string | undefined>): RunContext {
  return {
    target,
    ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    ...(env.RUNNER_NAME ? { runner: `${env.RUNNER_NAME}${env.RUNNER_OS ? ` (${env.RUNNER_OS})` : ''}` } : {}),
  };
}
