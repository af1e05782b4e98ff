import { COMPARISON_SCHEMA, type Comparison } from '../compare/comparison-types.js';
import { RecordError } from '../record/record-error.js';
import { renderReport } from '../report/render-report.js';

/**
 * What a fork's pull-request run leaves behind for the trusted `mode: report` workflow: the
 * comparison and which PR and commit it is about. That workflow treats it as untrusted data:
 * it checks the shape and size, re-renders the markdown itself (escaping every text), and
 * confirms with the API that the PR's head is the commit the run measured.
 */
export const FORK_REPORT_SCHEMA = 'tailgate.fork-report/v1';
export const FORK_REPORT_ARTIFACT_PREFIX = 'tailgate-report-';
const MAX_REPORT_BYTES = 5 * 2 ** 20;

export interface ForkReport {
  schema: typeof FORK_REPORT_SCHEMA;
  profileId: string;
  pullRequest: number;
  headSha: string;
  comparison: Comparison;
}

export function forkReportArtifactName(profileId: string): string {
  return `${FORK_REPORT_ARTIFACT_PREFIX}${profileId}`;
}

/** Reads a fork report, refusing anything that is not exactly what a tailgate run writes. */
export function parseForkReport(text: string, source: string): ForkReport {
  const refuse = (problem: string): never => {
    throw new RecordError(source, problem, "re-run the pull request's workflow so it uploads a fresh report");
  };
  if (Buffer.byteLength(text) > MAX_REPORT_BYTES) refuse(`larger than ${MAX_REPORT_BYTES / 2 ** 20} MiB`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return refuse('not valid JSON');
  }
  const report = data as Partial<ForkReport> | null;
  if (report?.schema !== FORK_REPORT_SCHEMA) return refuse(`not a tailgate fork report (schema ${JSON.stringify(report?.schema)})`);
  if (typeof report.profileId !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(report.profileId)) return refuse('its profile id is missing or malformed');
  if (typeof report.pullRequest !== 'number' || !Number.isInteger(report.pullRequest) || report.pullRequest < 1) return refuse('its pull request number is missing or malformed');
  if (typeof report.headSha !== 'string' || !/^[0-9a-f]{40}$/.test(report.headSha)) return refuse('its commit is missing or malformed');
  const comparison = report.comparison as Partial<Comparison> | undefined;
  if (comparison?.schema !== COMPARISON_SCHEMA || !Array.isArray(comparison.steps) || !Array.isArray(comparison.thresholds) || !Array.isArray(comparison.notes)) {
    return refuse('its comparison is missing or in an unknown format');
  }
  if (!['success', 'failure', 'neutral'].includes(String(comparison.conclusion))) return refuse('its conclusion is not success, failure or neutral');
  if (!['pass', 'regression', 'improvement', 'inconclusive', 'no-baseline'].includes(String(comparison.verdict))) return refuse('its verdict is not one tailgate gives');
  // The trusted workflow renders the comparison itself; one whose parts are missing or of the
  // wrong type cannot be rendered, and is refused here rather than failing there with a stack.
  try {
    renderReport(comparison as Comparison);
  } catch {
    return refuse('its comparison is incomplete or damaged (it cannot be rendered)');
  }
  return report as ForkReport;
}
