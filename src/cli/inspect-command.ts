import { parseArgs } from 'node:util';
import { resolveCompareOptions } from '../compare/compare-options.js';
import { loadProfile } from '../config/load-profile.js';
import { buildPlan } from '../plan/plan.js';
import { CliError, EXIT } from './cli-error.js';
import { formatPlanOutline, outlinePlan } from './plan-outline.js';
import type { RunIo } from './run-command.js';

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
  const profile = await loadProfile(values.config, { env: io.env, ...(values.target ? { target: values.target } : {}) });
  const gate = resolveCompareOptions(profile.regression);
  const outline = outlinePlan(profile, buildPlan(profile), gate);
  io.stdout.write(values.json ? `${JSON.stringify(outline, null, 2)}\n` : `${formatPlanOutline(outline)}\n`);
  return EXIT.pass;
}
