import { parseExpression, parseSelector, selectorName, ThresholdError, type SelectorTag } from '../threshold/threshold-expression.js';
import { captureCheckName } from './capture-config.js';
import type { FieldPath } from './config-error.js';
import { closest } from './did-you-mean.js';
import { echo, echoPlain } from './echo.js';
import type { Durations } from './field-durations.js';
import type { Problems } from './problems.js';
import type { Journey, Profile, ProfileThreshold, Scenario } from './profile-types.js';
import type { RawThreshold } from './raw-profile.js';
import type { StepNames } from './step-names.js';

/** The profile's `thresholds:` (k6's), their selectors and expressions parsed once, the names they select checked. */

/**
 * Threshold selectors name steps, scenarios and checks the profile has. A step name that only
 * the setup has selects that setup step: setup requests never gate unless a threshold names them.
 */
export function buildThresholds(
  raw: Record<string, RawThreshold[]>,
  steps: StepNames,
  journeys: readonly Journey[],
  scenarios: readonly Scenario[],
  durations: Durations,
  problems: Problems,
): Profile['thresholds'] {
  const names: Record<string, string[]> = {
    step: [...new Set([...steps.journeys, ...steps.setup])],
    scenario: scenarios.map((scenario) => scenario.name),
    check: [...new Set(journeys.flatMap((journey) => journey.steps.flatMap((step) => [...(step.checks ?? []).map((check) => check.name), ...Object.keys(step.capture).map(captureCheckName)])))],
  };
  const which: Record<SelectorTag, string> = { step: 'no journey or setup has', scenario: 'is not a scenario of the profile', check: 'no step checks' };
  return Object.entries(raw).flatMap(([metric, written]) => {
    const at = ['thresholds', metric];
    const { expressions, abortOnFail } = thresholdRules(at, written, durations, problems);
    // The selector and expressions are parsed here, once, so their mistakes come with the profile's others.
    const parsed = parsedThreshold(at, metric, expressions, problems);
    if (parsed === undefined) return [];
    for (const key of ['step', 'scenario', 'check'] as const) {
      const value = parsed.selector[key];
      const known = names[key] as string[];
      if (value === null || known.includes(value)) continue;
      const guess = closest(value, known);
      const written = (name: string): string => echoPlain(selectorName(name));
      problems.add(at, `names ${key} ${echo(value)}, which ${which[key]}`, guess ? `did you mean {${key}:${written(guess)}}?` : known.length > 0 ? `use one of: ${known.map(written).join(', ')}` : `remove the {${key}:...} selector`, { part: 'key' });
    }
    const group = parsed.selector.group;
    const groups = [...new Set(journeys.flatMap((journey) => journey.steps.flatMap((step) => (step.group === undefined ? [] : [step.group]))))];
    if (group !== undefined && !groups.includes(group)) {
      const guess = closest(group, groups);
      problems.add(at, `names group ${echo(group)}, which no journey step has`, guess ? `did you mean {group:${echoPlain(guess)}}?` : groups.length > 0 ? `use one of: ${groups.map(echoPlain).join(', ')}` : 'put steps in it with group: on each', { part: 'key' });
    }
    const location = problems.locationOf(at, 'key');
    return [{ metric, expressions, ...(abortOnFail.length > 0 ? { abortOnFail } : {}), ...(location && { location }), ...parsed }];
  });
}

/** The threshold's selector and expressions parsed; undefined (and a problem) when either is not k6 syntax tailgate reads. */
function parsedThreshold(at: FieldPath, metric: string, expressions: readonly string[], problems: Problems): Pick<ProfileThreshold, 'selector' | 'parsed'> | undefined {
  try {
    const selector = parseSelector(metric);
    return { selector, parsed: expressions.map((expression) => parseExpression(selector, metric, expression)) };
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    for (const problem of error.problems) problems.add(at, problem.message, problem.fix, { part: 'key' });
    return undefined;
  }
}

/** A threshold's expressions, and which of them stop the run when broken (k6's object form). */
function thresholdRules(at: FieldPath, written: readonly RawThreshold[], durations: Durations, problems: Problems): Pick<ProfileThreshold, 'expressions'> & { abortOnFail: NonNullable<ProfileThreshold['abortOnFail']> } {
  const expressions: string[] = [];
  const abortOnFail: NonNullable<ProfileThreshold['abortOnFail']> = [];
  written.forEach((rule, i) => {
    if (typeof rule === 'string') return void expressions.push(rule);
    expressions.push(rule.threshold);
    if (rule.abortOnFail === true) {
      abortOnFail.push({ expression: i, delayAbortEvalMs: durations.at([...at, i, 'delayAbortEval'], rule.delayAbortEval, 0) });
    } else if (rule.delayAbortEval !== undefined) {
      problems.add([...at, i, 'delayAbortEval'], 'delays an abort, but this threshold does not abort the run', 'add abortOnFail: true, or remove delayAbortEval', { part: 'key' });
    }
  });
  return { expressions, abortOnFail };
}
