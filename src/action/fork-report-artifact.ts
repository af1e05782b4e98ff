import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordError } from '../record/record-error.js';
import { FORK_REPORT_ARTIFACT_PREFIX, forkReportArtifactName, MAX_REPORT_BYTES, parseForkReport, type ForkReport } from './fork-report.js';
import type { ArtifactLimits, RunArtifacts } from './run-artifacts.js';

/** The most reports one run's `mode: report` posts: each is a comment and a check run. */
export const MAX_REPORTS_PER_RUN = 10;

/**
 * What is read of a fork run's report artifacts: at most 10, each listed and downloaded at no more
 * than 5 MiB (a report's zip is far smaller), holding one JSON file inflated to no more than 5 MiB.
 */
export const FORK_REPORT_LIMITS: ArtifactLimits = {
  maxArtifacts: MAX_REPORTS_PER_RUN,
  maxArtifactBytes: MAX_REPORT_BYTES,
  maxFileBytes: MAX_REPORT_BYTES,
  maxTotalBytes: MAX_REPORT_BYTES,
  jsonFiles: { min: 1, max: 1 },
};

/** Uploads a fork run's report as an artifact of this run, for the `mode: report` workflow. */
export async function uploadForkReport(artifacts: RunArtifacts, report: ForkReport, workDir: string, retentionDays = 7): Promise<string> {
  const dir = join(workDir, 'fork-report');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'report.json');
  await writeFile(file, `${JSON.stringify(report)}\n`);
  const name = forkReportArtifactName(report.profileId);
  await artifacts.uploadFile(name, file, retentionDays);
  return name;
}

/**
 * Downloads and checks the reports a pull-request run uploaded (one per profile), within
 * FORK_REPORT_LIMITS. An artifact that is too large, unreadable or not a valid report is left
 * out with a warning (`warn`); the others are returned. Listing the run's artifacts failing (no
 * `actions: read`) is thrown.
 */
export async function downloadForkReports(
  artifacts: RunArtifacts,
  find: { token: string; workflowRunId: number; owner: string; repo: string },
  workDir: string,
  warn: (message: string) => void,
): Promise<ForkReport[]> {
  const findBy = { token: find.token, workflowRunId: find.workflowRunId, repositoryOwner: find.owner, repositoryName: find.repo };
  const files = await artifacts.downloadJson((name) => name.startsWith(FORK_REPORT_ARTIFACT_PREFIX), workDir, {
    findBy,
    limits: FORK_REPORT_LIMITS,
    onSkip: (skipped) => warn(`${skipped.message}: not posted`),
  });
  const reports: ForkReport[] = [];
  for (const { artifact, text } of files.slice(0, MAX_REPORTS_PER_RUN)) {
    try {
      reports.push(parseForkReport(text, artifact));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      warn(`${error.message} Not posted.`);
    }
  }
  return reports;
}
