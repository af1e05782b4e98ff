import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { artifactUrl, uploadHtmlReport } from '../../../src/action/html-report-artifact.js';
import { recordingLogger } from '../../../src/logging.js';
import { regressionCase } from './report-fixtures.js';

test("the artifact's URL is the run's page plus /artifacts/<id>", () => {
  const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '12' };
  expect(artifactUrl(env, 34)).toBe('https://github.com/o/r/actions/runs/12/artifacts/34');
  expect(artifactUrl({}, 34)).toBeUndefined();
});

test('without an artifact service the page is still written, and there is no link', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-html-artifact-'));
  try {
    const logger = recordingLogger();
    const url = await uploadHtmlReport({ ...regressionCase({ baselineRuns: 2 }), workDir: dir, env: {}, logger });
    expect(url).toBeUndefined();
    expect(readFileSync(join(dir, 'html-report', 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(logger.lines.join('\n')).toContain('no artifact service');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
