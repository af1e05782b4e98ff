import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withAllowedChange, type CompareOptions } from '../compare/compare-options.js';
import { failOnWarning, gateFailure } from '../compare/gate-rule.js';
import { loadProfile } from '../config/load-profile.js';
import type { Profile } from '../config/profile-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { pairedReportInput } from '../report/html/paired-report-input.js';
import { executePaired } from '../run/execute-paired.js';
import { CouldNotRunError, executeProfile } from '../run/execute-profile.js';
import { UserError } from '../user-error.js';
import { runnerIo, type ActionIo } from './action-io.js';
import { compareStep } from './compare-step.js';
import { uploadHtmlReport } from './html-report-artifact.js';
import { importStep } from './import-step.js';
import { parseActionInputs, type ActionInputs } from './inputs.js';
import { pairedStep, type PairedStepIo } from './paired-step.js';
import { publishComparison } from './publish-comparison.js';
import { headCommitMessage, recordStep } from './record-step.js';
import { reportStep } from './report-step.js';
import { pairedRunOptions, runOptions } from './run-options.js';
import { mergeShards, shardStep, waitForShardStart } from './shard-step.js';
import { resolveTrigger, type Trigger } from './trigger.js';

/** The GitHub Action on a runner: the real I/O, and the step failed with the reason when the gate fails. */
export async function run(): Promise<void> {
  const failure = await runAction(runnerIo());
  if (failure) core.setFailed(failure);
}

/**
 * The Action over its I/O: decide from the event what this step does (skip, post fork reports,
 * run paired, measure a shard, or measure and then record or compare), and do it. Returns why the
 * step fails (a regression, a broken threshold, a user's mistake), or undefined. A reporting
 * failure is only a warning.
 */
export async function runAction(io: ActionIo): Promise<string | undefined> {
  const { logger } = io;
  try {
    const inputs = parseActionInputs((name) => io.input(name));
    const failOnWarned = failOnWarning(inputs.failOn);
    if (failOnWarned !== undefined) logger.warn(failOnWarned);
    const payload = await io.readEvent();
    const { trigger, defaultBranch } = readTrigger(inputs, payload, io);
    logger.info(`tailgate: ${trigger.action}: ${trigger.reason}`);
    if (trigger.action === 'skip') {
      io.setOutputs({ verdict: 'skipped' });
      return undefined;
    }
    if (trigger.action === 'report') {
      await reportStep(inputs, payload, io);
      return undefined;
    }
    // Another tool's results replace the load: no profile is read, the import's own is judged.
    const imported = inputs.results ? await importStep(inputs.results, io) : undefined;
    const profile = imported?.profile ?? (await loadProfile(inputs.configPath, { env: io.env.vars, ...targetOverride(inputs, trigger) }));
    const options = compareOptions(profile, inputs);
    for (const secret of profile.secrets) io.setSecret(secret);
    const workDir = join(io.env.tempDir, 'tailgate', profile.id);
    await mkdir(workDir, { recursive: true });
    if (inputs.baselineUrl !== undefined) {
      const comparison = await pairedStep({ profile, baselineUrl: inputs.baselineUrl, options, workDir }, pairedIo(inputs, trigger, workDir, io));
      return gateFailure(comparison, inputs.failOn);
    }

    const record = imported?.record ?? (inputs.mode === 'merge' ? await mergeShards(profile, workDir, io) : await measure(profile, inputs, io));
    const recordFile = join(workDir, 'run.json');
    await writeFile(recordFile, `${JSON.stringify(record)}\n`);
    // An interrupted run is never a shard or a baseline; compared, it is reported and not judged.
    if (record.meta.interrupted && (inputs.shard || trigger.action === 'record-baseline')) throw new CouldNotRunError('the run was interrupted before it finished');
    if (inputs.shard) {
      await shardStep(record, inputs.shard, recordFile, io);
      return undefined;
    }
    const store = io.store(inputs.baselineStorage, { token: inputs.githubToken, defaultBranch });
    if (trigger.action === 'record-baseline') return await recordStep({ record, profile, inputs, sha: trigger.sha, store, commitMessage: headCommitMessage(payload) }, io);
    const comparison = await compareStep({ record, profile, options, inputs, trigger, store, preferCommit: pullRequestBase(payload), workDir }, io);
    return gateFailure(comparison, inputs.failOn);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    return `tailgate failed unexpectedly, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
}

/** The paired step's seams, from the Action's. */
function pairedIo(inputs: ActionInputs, trigger: Trigger, workDir: string, io: ActionIo): PairedStepIo {
  return {
    execute: (profile, baseUrl, compare) => executePaired(profile, baseUrl, io.run, { ...pairedRunOptions(inputs), compare }),
    writeFile: (path, text) => writeFile(path, text),
    writeSummary: (markdown) => io.writeSummary(markdown),
    setOutputs: (outputs) => io.setOutputs(outputs),
    uploadHtml: (comparison, paired) => uploadHtmlReport({ ...pairedReportInput(comparison, paired), workDir, env: io.env, artifacts: io.artifacts, logger: io.logger }),
    publish: (comparison, markdown) => publishComparison(comparison, markdown, { inputs, trigger, workDir }, io),
    runUrl: io.env.runUrl,
    logger: io.logger,
  };
}

function readTrigger(inputs: ActionInputs, payload: unknown, io: ActionIo): { trigger: Trigger; defaultBranch: string | undefined } {
  const repository = (payload as { repository?: { default_branch?: string } }).repository;
  const defaultBranch = repository?.default_branch;
  const { eventName, ref, sha } = io.env;
  const trigger = resolveTrigger({ eventName, payload, ref, sha, ...(defaultBranch ? { defaultBranch } : {}), inputs });
  return { trigger, defaultBranch };
}

/** The target the workflow or the event gives; one the event named is loaded only where allowed-hosts allows. */
function targetOverride(inputs: ActionInputs, trigger: Trigger): { target?: string; targetFromEvent?: { source: string; allowedHosts: string[] } } {
  const target = inputs.targetUrl ?? trigger.targetUrl;
  if (!target) return {};
  return trigger.targetFromEvent === undefined ? { target } : { target, targetFromEvent: { source: trigger.targetFromEvent, allowedHosts: inputs.allowedHosts } };
}

/** The profile's regression settings, with the action's inputs winning where they are given. */
function compareOptions(profile: Profile, inputs: ActionInputs): CompareOptions {
  const options = { ...profile.regression };
  if (inputs.alpha !== undefined) options.alpha = inputs.alpha;
  return inputs.thresholdPct === undefined ? options : withAllowedChange(options, inputs.thresholdPct);
}

async function measure(profile: Profile, inputs: ActionInputs, io: ActionIo): Promise<RunRecord> {
  if (inputs.shardStart) await waitForShardStart(inputs.shardStart, io);
  const record = await executeProfile(profile, io.run, runOptions(inputs));
  if (record.meta.interrupted) io.logger.warn('the run was interrupted before it finished');
  for (const reason of record.generator.reasons) io.logger.warn(`this run is invalid: ${reason}`);
  return record;
}

/** The commit a pull request is based on: the baseline recorded there compares most fairly. */
function pullRequestBase(payload: unknown): string | undefined {
  const sha = (payload as { pull_request?: { base?: { sha?: unknown } } }).pull_request?.base?.sha;
  return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}
