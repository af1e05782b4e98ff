import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from '../compare/comparison-types.js';
import type { Logger } from '../logging.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { renderHtmlReport } from '../report/html/render-html-report.js';
import { uploadFileArtifact } from './run-artifacts.js';

/**
 * The HTML report goes up as an artifact of the workflow run, `tailgate-html-<profile>` (not the
 * fork reports' `tailgate-report-` prefix, which `mode: report` downloads and parses). Best effort:
 * a failed upload is a warning and the comment goes out without the link.
 */
export const HTML_REPORT_ARTIFACT_PREFIX = 'tailgate-html-';

export interface HtmlReportUpload {
  comparison: Comparison;
  current: RunRecord;
  baselines: readonly RunRecord[];
  /** Paired mode: the record head and base came from. */
  paired?: PairedRecord | undefined;
  workDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  retentionDays?: number;
}

/** Writes the page and uploads it; returns the artifact's URL when the upload gave an id and the run is known. */
export async function uploadHtmlReport({ comparison, current, baselines, paired, workDir, env, logger, retentionDays = 30 }: HtmlReportUpload): Promise<string | undefined> {
  try {
    const dir = join(workDir, 'html-report');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtmlReport({ comparison, current, baselines, paired }));
    if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
      // Outside a hosted job (act, a local run of dist/index.js) there is no artifact service.
      logger.info(`no artifact service in this job: the HTML report is at ${file}`);
      return undefined;
    }
    const name = `${HTML_REPORT_ARTIFACT_PREFIX}${comparison.profile.id}`;
    const id = await uploadFileArtifact(name, file, retentionDays);
    logger.info(`uploaded the HTML report as artifact ${name}`);
    return id === undefined ? undefined : artifactUrl(env, id);
  } catch (error) {
    logger.warn(`could not upload the HTML report: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** `${server}/${repo}/actions/runs/${runId}/artifacts/${id}`: where a person downloads the artifact. */
export function artifactUrl(env: Record<string, string | undefined>, id: number): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: runId } = env;
  return server && repo && runId ? `${server}/${repo}/actions/runs/${runId}/artifacts/${id}` : undefined;
}
