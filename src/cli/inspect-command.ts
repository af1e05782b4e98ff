import { parseArgs } from 'node:util';
import { resolveCompareOptions } from '../compare/compare-options.js';
import { ConfigError } from '../config/config-error.js';
import { loadProfile } from '../config/load-profile.js';
import type { Profile } from '../config/profile-types.js';
import { buildPlan } from '../plan/plan.js';
import { CliError, EXIT } from './cli-error.js';
import { formatPlanOutline, outlinePlan } from './plan-outline.js';
import type { RunIo } from '../run/run-io.js';

export const INSPECT_HELP = `Usage: tailgate inspect --config FILE [--target URL] [--json]

Checks the load profile in FILE as tailgate run would (schema, fields, thresholds, regression
settings) and prints its plan: scenarios and their timing, the total duration, peak VUs and rate,
journeys and steps, thresholds, the gate and the profile hash. Sends no request.

  --config FILE   the profile (YAML)
  --target URL    the target to show; replaces the file's target (and its \${VAR}) unread
  --json          print the plan as JSON (tailgate.inspect/v1) instead

Exit codes: 0 the profile is valid, 2 it is not (the message names the line, field and fix).`;

export async function inspectCommand(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      target: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.config) throw new CliError('tailgate inspect needs --config FILE (the load profile, e.g. tailgate.yml)');
  const profile = values.target ? await loadProfile(values.config, { env: io.env, target: values.target }) : await loadWithoutTarget(values.config, io.env);
  const gate = resolveCompareOptions(profile.regression);
  const outline = outlinePlan(profile, buildPlan(profile), gate);
  io.stdout.write(values.json ? `${JSON.stringify(outline, null, 2)}\n` : `${formatPlanOutline(outline)}\n`);
  return EXIT.pass;
}

/**
 * The profile without --target. A target taken from a variable that is not set (the examples'
 * `\${TARGET_URL}`) is the one thing inspect can do without: its fix says how to give one here.
 */
async function loadWithoutTarget(config: string, env: RunIo['env']): Promise<Profile> {
  try {
    return await loadProfile(config, { env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const unset = (message: string): string | undefined => /^environment variable ([A-Za-z_][A-Za-z0-9_]*) is not set/.exec(message)?.[1];
    if (!error.problems.some((p) => p.field === 'target' && unset(p.message) !== undefined)) throw error;
    throw new ConfigError(
      error.problems.map((problem) => {
        const name = problem.field === 'target' ? unset(problem.message) : undefined;
        if (name === undefined) return problem;
        return {
          ...problem,
          fix: `give inspect a target, any URL (it sends no request): tailgate inspect --config ${config} --target URL, or ${name}=URL tailgate inspect --config ${config}`,
        };
      }),
    );
  }
}
