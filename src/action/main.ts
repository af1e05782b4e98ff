import * as core from '@actions/core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaselineStore } from '../baseline/baseline-store.js';
import { executeProfile, CouldNotRunError, type RunIo } from '../run/execute-profile.js';
import { addToBundle } from '../baseline/baseline-bundle.js';
import { withAllowedChange, type CompareOptions } from '../compare/compare-options.js';
import { compareRuns } from '../compare/compare-runs.js';
import type { Comparison } from '../compare/comparison-types.js';
import { evaluateThresholds } from '../compare/thresholds.js';
import { ConfigError } from '../config/config-error.js';
import { loadProfile } from '../config/load-profile.js';
import type { Profile } from '../config/profile-types.js';
import type { Logger } from '../logging.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import { actionsLogger } from './actions-logger.js';
import { chooseStore } from './choose-store.js';
import { InputError } from './input-error.js';
import { parseActionInputs, type ActionInputs } from './inputs.js';
import { pairedRunOptions, runOptions } from './run-options.js';
import { downloadForkReports, uploadForkReport } from './fork-report-artifact.js';
import { FORK_REPORT_SCHEMA, type ForkReport } from './fork-report.js';
import { githubClient, publishToGitHub, repositoryOf } from './publish.js';
import { pullRequestHeadMatches } from '../github/pull-request-lookup.js';
import { baselineSummary, comparisonReport } from './run-report.js';
import { uploadHtmlReport } from './html-report-artifact.js';
import { pairedReportInput } from '../report/html/paired-report-input.js';
import { stepOutputs } from './step-outputs.js';
import { downloadShardRecords, uploadShardRecord } from './shard-artifacts.js';
import { profileHash } from '../plan/profile-hash.js';
import type { Shard } from '../plan/shard.js';
import { checkShardSet, mergeRecords } from '../record/merge-records.js';
import { resolveTrigger, type Trigger } from './trigger.js';
import { runUrl } from './run-url.js';
import { pairedStep, type PairedStepIo } from './paired-step.js';
import { executePaired } from '../run/execute-paired.js';

/**
 * The GitHub Action: decide from the event what this run does, run the load, then record the
 * baseline (default branch) or compare with it (pull requests) and report. User mistakes fail
 * the step with their message; a reporting failure is only a warning.
 */
export async function run(): Promise<void> {
  const logger = actionsLogger();
  try {
    const inputs = parseActionInputs((name) => core.getInput(name));
    const payload = await readEventPayload();
    const { trigger, defaultBranch } = readTrigger(inputs, payload);
    logger.info(`tailgate: ${trigger.action}: ${trigger.reason}`);
    if (trigger.action === 'skip') {
      core.setOutput('verdict', 'skipped');
      return;
    }
    if (trigger.action === 'report') {
      await postForkReports(inputs, payload, logger);
      return;
    }
    const profile = await loadProfile(inputs.configPath, { env: process.env, ...targetOverride(inputs, trigger) });
    const options = compareOptions(profile, inputs);
    for (const secret of profile.secrets) core.setSecret(secret);
    const workDir = join(process.env.RUNNER_TEMP ?? tmpdir(), 'tailgate', profile.id);
    await mkdir(workDir, { recursive: true });
    if (inputs.baselineUrl !== undefined) {
      const comparison = await pairedStep({ profile, baselineUrl: inputs.baselineUrl, options, workDir }, pairedIo(inputs, trigger, workDir, logger));
      const failure = gateFailure(comparison, inputs.failOn);
      if (failure) core.setFailed(failure);
      return;
    }

    const record = inputs.mode === 'merge' ? await mergeShards(profile, workDir, logger) : await measure(profile, inputs, logger);
    const recordFile = join(workDir, 'run.json');
    await writeFile(recordFile, `${JSON.stringify(record)}\n`);
    if (inputs.shard) {
      await leaveShard(record, inputs.shard, recordFile, logger);
      return;
    }
    const store = chooseStore(inputs.baselineStorage, {
      tempDir: process.env.RUNNER_TEMP ?? tmpdir(),
      token: inputs.githubToken,
      defaultBranch,
      env: process.env,
      logger,
    });

    if (trigger.action === 'record-baseline') {
      await recordBaseline(record, store, inputs, trigger, logger);
      // Absolute SLOs hold on every run; recording never waits on them.
      const broken = evaluateThresholds(record, profile.thresholds).filter((t) => t.status === 'broken');
      for (const t of broken) logger.error(`threshold broken: ${t.metric}: ${t.expression} (observed ${t.observed ?? '-'})`);
      if (broken.length > 0 && inputs.failOn !== 'never') core.setFailed(`tailgate: ${broken.length} threshold(s) of ${profile.id} broken; the baseline was recorded all the same`);
      return;
    }
    const { comparison, baselines } = await compare(record, store, profile, options, logger, pullRequestBase(payload));
    const reportPath = join(workDir, 'comparison.json');
    await writeFile(reportPath, `${JSON.stringify(comparison, null, 1)}\n`);
    const htmlReportUrl = await uploadHtmlReport({ comparison, current: record, baselines, workDir, env: process.env, logger });
    const markdown = comparisonReport(comparison, runUrl(), htmlReportUrl, { now: new Date(), records: { current: record, baselines } });
    await core.summary.addRaw(markdown, true).write();
    setOutputs({ ...stepOutputs(record, comparison, comparison.verdict), report: reportPath });
    if (trigger.isFork) {
      await leaveForkReport(comparison, trigger, workDir, logger);
    } else {
      const target = { sha: trigger.sha, ...(trigger.pullRequest !== undefined ? { pullRequest: trigger.pullRequest } : {}) };
      const published = await publishToGitHub({ inputs, target, comparison, markdown, profileId: profile.id, logger });
      core.setOutput('comment-url', published.commentUrl ?? '');
    }
    const failure = gateFailure(comparison, inputs.failOn);
    if (failure) core.setFailed(failure);
  } catch (error) {
    if (error instanceof InputError || error instanceof ConfigError || error instanceof RecordError || error instanceof CouldNotRunError) {
      core.setFailed(error.message);
    } else {
      core.setFailed(`tailgate failed unexpectedly, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

/** The real world of a paired step: both targets loaded from here, the report to GitHub as any comparison's. */
function pairedIo(inputs: ActionInputs, trigger: Trigger, workDir: string, logger: Logger): PairedStepIo {
  const io: RunIo = { env: process.env, logger, stdout: process.stdout, stderr: process.stdout, isTty: false };
  return {
    execute: (profile, baseUrl) => executePaired(profile, baseUrl, io, pairedRunOptions(inputs)),
    writeFile: (path, text) => writeFile(path, text),
    writeSummary: async (markdown) => {
      await core.summary.addRaw(markdown, true).write();
    },
    setOutputs,
    uploadHtml: (comparison, paired) => uploadHtmlReport({ ...pairedReportInput(comparison, paired), workDir, env: process.env, logger }),
    publish: async (comparison, markdown) => {
      if (trigger.isFork) {
        await leaveForkReport(comparison, trigger, workDir, logger);
        return undefined;
      }
      const target = { sha: trigger.sha, ...(trigger.pullRequest !== undefined ? { pullRequest: trigger.pullRequest } : {}) };
      return (await publishToGitHub({ inputs, target, comparison, markdown, profileId: comparison.profile.id, logger })).commentUrl;
    },
    runUrl: runUrl(),
    logger,
  };
}

/** The event that started the workflow, as the runner wrote it; read once. */
async function readEventPayload(): Promise<unknown> {
  const eventPath = process.env.GITHUB_EVENT_PATH;
  return eventPath ? (JSON.parse(await readFile(eventPath, 'utf8')) as unknown) : {};
}

function readTrigger(inputs: ActionInputs, payload: unknown): { trigger: Trigger; defaultBranch: string | undefined } {
  const repository = (payload as { repository?: { default_branch?: string } }).repository;
  const defaultBranch = repository?.default_branch;
  const trigger = resolveTrigger({
    eventName: process.env.GITHUB_EVENT_NAME ?? '',
    payload,
    ref: process.env.GITHUB_REF ?? '',
    sha: process.env.GITHUB_SHA ?? '',
    ...(defaultBranch ? { defaultBranch } : {}),
    inputs,
  });
  return { trigger, defaultBranch };
}

function targetOverride(inputs: ActionInputs, trigger: Trigger): { target?: string } {
  const target = inputs.targetUrl ?? trigger.targetUrl;
  return target ? { target } : {};
}

/** The profile's regression settings, with the action's inputs winning where they are given. */
function compareOptions(profile: Profile, inputs: ActionInputs): CompareOptions {
  const options = { ...profile.regression };
  if (inputs.alpha !== undefined) options.alpha = inputs.alpha;
  return inputs.thresholdPct === undefined ? options : withAllowedChange(options, inputs.thresholdPct);
}

async function measure(profile: Profile, inputs: ActionInputs, logger: Logger): Promise<RunRecord> {
  const io: RunIo = { env: process.env, logger, stdout: process.stdout, stderr: process.stdout, isTty: false };
  const record = await executeProfile(profile, io, runOptions(inputs));
  if (record.meta.interrupted) throw new CouldNotRunError('the run was interrupted before it finished');
  for (const reason of record.generator.reasons) logger.warn(`this run is invalid: ${reason}`);
  return record;
}

/**
 * A shard job measures its share and leaves the record for the `mode: merge` job; it neither
 * compares nor reports, since one share says nothing about the whole.
 */
async function leaveShard(record: RunRecord, shard: Shard, recordFile: string, logger: Logger): Promise<void> {
  const name = await uploadShardRecord(record.meta.profile.id, shard, recordFile);
  logger.info(`shard ${shard.index}/${shard.count}: ${record.summary.overall.requests} requests, uploaded as artifact ${name} for the mode: merge job`);
  setOutputs({ ...stepOutputs(record, undefined, 'shard'), report: '' });
}

/**
 * `mode: merge`: the shard records this workflow run's matrix jobs uploaded, checked to be one
 * whole split run of this very profile, and merged exactly into the record that is then judged.
 */
async function mergeShards(profile: Profile, workDir: string, logger: Logger): Promise<RunRecord> {
  const shards = await downloadShardRecords(profile.id, workDir);
  checkShardSet(shards, `the shard artifacts of profile ${profile.id} in this workflow run`);
  const hash = profileHash(profile);
  for (const { file, record } of shards) {
    if (record.meta.profile.hash !== hash) {
      throw new RecordError(file, `ran profile ${record.meta.profile.id} with hash ${record.meta.profile.hash}, but ${profile.id} here has hash ${hash}`, 'give the shard jobs and the merge job the same config file');
    }
  }
  const record = mergeRecords(shards);
  logger.info(`merged ${shards.length} shards of ${profile.id}: ${record.summary.overall.requests} requests`);
  for (const reason of record.generator.reasons) logger.warn(`this run is invalid: ${reason}`);
  return record;
}

async function recordBaseline(record: RunRecord, store: BaselineStore, inputs: ActionInputs, trigger: Trigger, logger: Logger): Promise<void> {
  let existing;
  try {
    existing = (await store.load(record.meta.profile.id))?.bundle;
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    logger.warn(`the previous baseline is unusable and a new history starts: ${error.message}`);
  }
  const update = addToBundle(existing, record, inputs.history);
  for (const note of update.notes) logger.info(note);
  let saved = 'The baseline was not updated';
  if (update.added && update.bundle) {
    const result = await store.save(update.bundle, {
      commit: trigger.sha,
      runId: process.env.GITHUB_RUN_ID ?? String(Date.now()),
      ...(process.env.GITHUB_RUN_ATTEMPT ? { attempt: process.env.GITHUB_RUN_ATTEMPT } : {}),
    });
    if (result.saved) saved = `Saved to ${result.where} (${update.bundle.runs.length} run(s) of history)`;
    else logger.warn(result.warning);
  }
  logger.info(saved);
  await core.summary.addRaw(baselineSummary(record, saved, update.notes), true).write();
  setOutputs({ ...stepOutputs(record, undefined, 'no-baseline'), report: '' });
}

async function compare(record: RunRecord, store: BaselineStore, profile: Profile, options: CompareOptions, logger: Logger, preferCommit: string | undefined): Promise<{ comparison: Comparison; baselines: RunRecord[] }> {
  let baselines: RunRecord[] = [];
  const notes: string[] = [];
  try {
    const found = await store.load(profile.id, preferCommit ? { preferCommit } : {});
    if (found) {
      baselines = found.bundle.runs;
      logger.info(`baseline: ${found.source}, ${baselines.length} run(s)`);
    } else {
      notes.push('No baseline was found. The first push to the default branch with this step records one.');
    }
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    notes.push(`The baseline could not be used: ${error.message}`);
    logger.warn(error.message);
  }
  const comparison = compareRuns({ baselines, current: record, options, thresholds: profile.thresholds });
  return { comparison: { ...comparison, notes: [...notes, ...comparison.notes] }, baselines };
}

/**
 * A fork's token can neither comment nor create checks: the report stays in the job summary and
 * goes up as an artifact, for a `workflow_run` workflow with `mode: report` to post.
 */
async function leaveForkReport(comparison: Comparison, trigger: Trigger, workDir: string, logger: Logger): Promise<void> {
  logger.warn("a fork's pull request gets a read-only token: the report is in the job summary, and uploaded for a mode: report workflow to post");
  if (trigger.pullRequest === undefined) return;
  const report: ForkReport = { schema: FORK_REPORT_SCHEMA, profileId: comparison.profile.id, pullRequest: trigger.pullRequest, headSha: trigger.sha, comparison };
  try {
    logger.info(`uploaded the report as artifact ${await uploadForkReport(report, workDir)}`);
  } catch (error) {
    logger.warn(`could not upload the report artifact: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * `mode: report`, in a `workflow_run` workflow with a write token: posts the reports a fork's run
 * uploaded. Nothing of the fork runs here; its report is data, checked before use, and its PR is
 * confirmed with the API (open, head at the measured commit) before anything is posted.
 */
async function postForkReports(inputs: ActionInputs, payload: unknown, logger: Logger): Promise<void> {
  const run = (payload as { workflow_run?: { id?: number; head_sha?: string } }).workflow_run;
  const { owner, repo } = repositoryOf(process.env);
  if (typeof run?.id !== 'number' || !owner || !repo || !inputs.githubToken) {
    throw new InputError('mode', 'report needs a workflow_run event, GITHUB_REPOSITORY and a github-token');
  }
  const workDir = join(process.env.RUNNER_TEMP ?? tmpdir(), 'tailgate', 'reports');
  const reports = await downloadForkReports({ token: inputs.githubToken, workflowRunId: run.id, owner, repo }, workDir);
  if (reports.length === 0) logger.info(`run ${run.id} left no tailgate report`);
  const octokit = githubClient(inputs.githubToken, logger);
  for (const report of reports) {
    if (report.headSha !== run.head_sha) {
      logger.warn(`report ${report.profileId} names commit ${report.headSha}, but run ${run.id} built ${run.head_sha ?? '?'}: not posted`);
      continue;
    }
    const matches = await pullRequestHeadMatches(octokit, { owner, repo, number: report.pullRequest, headSha: report.headSha }).catch(() => false);
    if (!matches) {
      logger.warn(`pull request #${report.pullRequest} is not open at ${report.headSha}: report ${report.profileId} not posted`);
      continue;
    }
    let markdown: string;
    try {
      markdown = comparisonReport(report.comparison, runUrl(), undefined, { now: new Date() });
    } catch {
      logger.warn(`report ${report.profileId} is malformed: not posted`);
      continue;
    }
    await core.summary.addRaw(markdown, true).write();
    const published = await publishToGitHub({ inputs, target: { sha: report.headSha, pullRequest: report.pullRequest }, comparison: report.comparison, markdown, profileId: report.profileId, logger });
    core.setOutput('comment-url', published.commentUrl ?? '');
    core.setOutput('verdict', report.comparison.verdict);
  }
}

/** The commit a pull request is based on: the baseline recorded there compares most fairly. */
function pullRequestBase(payload: unknown): string | undefined {
  const sha = (payload as { pull_request?: { base?: { sha?: unknown } } }).pull_request?.base?.sha;
  return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}

function gateFailure(comparison: Comparison, failOn: ActionInputs['failOn']): string | undefined {
  if (failOn === 'never') return undefined;
  if (comparison.verdict === 'regression') return `tailgate: performance regression in ${comparison.profile.id} (see the job summary)`;
  if (comparison.conclusion === 'failure') return `tailgate: a threshold of ${comparison.profile.id} is broken (see the job summary)`;
  if (failOn === 'inconclusive' && comparison.verdict === 'inconclusive') return `tailgate: the comparison of ${comparison.profile.id} was inconclusive and fail-on is inconclusive`;
  return undefined;
}

function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

