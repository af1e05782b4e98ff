import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from '../compare/comparison-types.js';
import type { Logger } from '../logging.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { renderHtmlReport } from '../report/html/render-html-report.js';
import type { RunArtifacts } from './run-artifacts.js';
import type { RunnerEnv } from './runner-env.js';

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
  env: Pick<RunnerEnv, 'artifactService' | 'runUrl'>;
  artifacts: RunArtifacts;
  logger: Logger;
  retentionDays?: number;
}

/** Writes the page and uploads it; returns the artifact's URL when the upload gave an id and the run is known. */
export async function uploadHtmlReport({ comparison, current, baselines, paired, workDir, env, artifacts, logger, retentionDays = 30 }: HtmlReportUpload): Promise<string | undefined> {
  try {
    const dir = join(workDir, 'html-report');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtmlReport({ comparison, current, baselines, paired }));
    if (!env.artifactService) {
      // Outside a hosted job (act, a local run of dist/index.js) there is no artifact service.
      logger.info(`no artifact service in this job: the HTML report is at ${file}`);
      return undefined;
    }
    const name = `${HTML_REPORT_ARTIFACT_PREFIX}${comparison.profile.id}`;
    const id = await artifacts.uploadFile(name, file, retentionDays);
    logger.info(`uploaded the HTML report as artifact ${name}`);
    return id === undefined ? undefined : artifactUrl(env.runUrl, id);
  } catch (error) {
    logger.warn(`could not upload the HTML report: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The run's page plus `/artifacts/<id>`: where a person downloads the artifact. */
export function artifactUrl(runUrl: string | undefined, id: number): string | undefined {
  return runUrl === undefined ? undefined : `${runUrl}/artifacts/${id}`;
}
