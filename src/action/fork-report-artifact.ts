import { DefaultArtifactClient } from '@actions/artifact';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { forkReportArtifactName, parseForkReport, type ForkReport } from './fork-report.js';

/** Uploads a fork run's report as an artifact of this run, for the `mode: report` workflow. */
export async function uploadForkReport(report: ForkReport, workDir: string, retentionDays = 7): Promise<string> {
  const dir = join(workDir, 'fork-report');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'report.json');
  await writeFile(file, `${JSON.stringify(report)}\n`);
  const name = forkReportArtifactName(report.profileId);
  await new DefaultArtifactClient().uploadArtifact(name, [file], dir, { retentionDays });
  return name;
}

/** Downloads and checks the reports a pull-request run uploaded (one per profile). */
export async function downloadForkReports(find: { token: string; workflowRunId: number; owner: string; repo: string }, workDir: string): Promise<ForkReport[]> {
  const client = new DefaultArtifactClient();
  const findBy = { token: find.token, workflowRunId: find.workflowRunId, repositoryOwner: find.owner, repositoryName: find.repo };
  const { artifacts } = await client.listArtifacts({ findBy });
  const reports: ForkReport[] = [];
  for (const artifact of artifacts.filter((a) => a.name.startsWith('tailgate-report-'))) {
    const path = join(workDir, `report-${artifact.id}`);
    await mkdir(path, { recursive: true });
    await client.downloadArtifact(artifact.id, { path, findBy });
    for (const file of await readdir(path)) {
      if (file.endsWith('.json')) reports.push(parseForkReport(await readFile(join(path, file), 'utf8'), `artifact ${artifact.name}`));
    }
  }
  return reports;
}
