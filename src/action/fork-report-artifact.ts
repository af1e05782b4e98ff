import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FORK_REPORT_ARTIFACT_PREFIX, forkReportArtifactName, parseForkReport, type ForkReport } from './fork-report.js';
import type { RunArtifacts } from './run-artifacts.js';

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

/** Downloads and checks the reports a pull-request run uploaded (one per profile). */
export async function downloadForkReports(artifacts: RunArtifacts, find: { token: string; workflowRunId: number; owner: string; repo: string }, workDir: string): Promise<ForkReport[]> {
  const findBy = { token: find.token, workflowRunId: find.workflowRunId, repositoryOwner: find.owner, repositoryName: find.repo };
  const files = await artifacts.downloadJson((name) => name.startsWith(FORK_REPORT_ARTIFACT_PREFIX), workDir, { findBy });
  return files.map(({ artifact, text }) => parseForkReport(text, `artifact ${artifact}`));
}
