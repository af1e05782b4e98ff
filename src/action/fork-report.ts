import { comparisonProblem } from '../compare/comparison-schema.js';
import type { Comparison } from '../compare/comparison-types.js';
import { RecordError } from '../record/record-error.js';

/**
 * What a fork's pull-request run leaves behind for the trusted `mode: report` workflow: the
 * comparison and which PR and commit it is about. That workflow treats it as untrusted data:
 * it checks the size and the whole shape (the comparison against its schema, and the profile id
 * against the artifact's name), re-renders the markdown itself from typed values, and confirms
 * with the API that the PR's head is the commit the run measured.
 */
export const FORK_REPORT_SCHEMA = 'tailgate.fork-report/v1';
export const FORK_REPORT_ARTIFACT_PREFIX = 'tailgate-report-';
/** The most a report's JSON may hold; no file of a report artifact is read past it. */
export const MAX_REPORT_BYTES = 5 * 2 ** 20;
const PROFILE_ID = /^[A-Za-z0-9._-]{1,100}$/;

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

/**
 * Reads the fork report of artifact `artifactName`, refusing anything that is not exactly what a
 * tailgate run writes: JSON of at most 5 MiB, the envelope's fields, a profile id that is the one
 * the artifact is named for (in the envelope and in the comparison), and a comparison its schema
 * accepts. Throws a RecordError naming the artifact and the first problem.
 */
export function parseForkReport(text: string, artifactName: string): ForkReport {
  const refuse = (problem: string): never => {
    throw new RecordError(`artifact ${artifactName}`, problem, "re-run the pull request's workflow so it uploads a fresh report");
  };
  if (Buffer.byteLength(text) > MAX_REPORT_BYTES) refuse(`larger than ${MAX_REPORT_BYTES / 2 ** 20} MiB`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return refuse('not valid JSON');
  }
  const report = data as Partial<ForkReport> | null;
  if (typeof report !== 'object' || report === null || Array.isArray(report)) return refuse('not a tailgate fork report');
  if (report.schema !== FORK_REPORT_SCHEMA) return refuse(`not a tailgate fork report (schema ${JSON.stringify(report.schema)?.slice(0, 60)})`);
  if (typeof report.profileId !== 'string' || !PROFILE_ID.test(report.profileId)) return refuse('its profile id is missing or malformed');
  if (forkReportArtifactName(report.profileId) !== artifactName) return refuse(`its profile id is not the one the artifact is named for (${FORK_REPORT_ARTIFACT_PREFIX}<profile id>)`);
  if (typeof report.pullRequest !== 'number' || !Number.isSafeInteger(report.pullRequest) || report.pullRequest < 1) return refuse('its pull request number is missing or malformed');
  if (typeof report.headSha !== 'string' || !/^[0-9a-f]{40}$/.test(report.headSha)) return refuse('its commit is missing or malformed');
  const extra = Object.keys(report).find((key) => !['schema', 'profileId', 'pullRequest', 'headSha', 'comparison'].includes(key));
  if (extra !== undefined) return refuse(`it has a field tailgate does not write (${JSON.stringify(extra).slice(0, 60)})`);
  if (report.comparison === undefined) return refuse('its comparison is missing');
  const problem = comparisonProblem(report.comparison);
  if (problem !== undefined) return refuse(`its comparison is not one tailgate writes: ${problem.replace(/^the comparison /, '')}`);
  if (report.comparison.profile.id !== report.profileId) return refuse('its comparison is of another profile than the report names');
  return report as ForkReport;
}
