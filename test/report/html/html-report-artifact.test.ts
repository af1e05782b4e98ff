import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { artifactUrl, uploadHtmlReport } from '../../../src/action/html-report-artifact.js';
import { readRunnerEnv } from '../../../src/action/runner-env.js';
import { recordingLogger } from '../../../src/logging.js';
import { regressionCase } from './report-fixtures.js';

test("the artifact's URL is the run's page plus /artifacts/<id>", () => {
  const env = readRunnerEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '12' });
  expect(artifactUrl(env.runUrl, 34)).toBe('https://github.com/o/r/actions/runs/12/artifacts/34');
  expect(artifactUrl(readRunnerEnv({}).runUrl, 34)).toBeUndefined();
});

test('without an artifact service the page is still written, and there is no link', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-html-artifact-'));
  try {
    const logger = recordingLogger();
    const uploads: string[] = [];
    const artifacts = { uploadFile: async (name: string) => (uploads.push(name), 1), downloadJson: async () => [] };
    const url = await uploadHtmlReport({ ...regressionCase({ baselineRuns: 2 }), workDir: dir, env: readRunnerEnv({ GITHUB_REPOSITORY: 'o/r' }), artifacts, logger });
    expect(url).toBeUndefined();
    expect(uploads).toEqual([]);
    expect(readFileSync(join(dir, 'html-report', 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(logger.lines.join('\n')).toContain('no artifact service');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with an artifact service the page goes up as tailgate-html-<profile>, linked from the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-html-artifact-'));
  try {
    const uploads: Array<{ name: string; text: string; retentionDays: number }> = [];
    const artifacts = {
      uploadFile: async (name: string, file: string, retentionDays: number) => (uploads.push({ name, text: readFileSync(file, 'utf8'), retentionDays }), 34),
      downloadJson: async () => [],
    };
    const env = readRunnerEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '12', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results.test/' });
    const input = regressionCase({ baselineRuns: 2 });
    const url = await uploadHtmlReport({ ...input, workDir: dir, env, artifacts, logger: recordingLogger() });
    expect(url).toBe('https://github.com/o/r/actions/runs/12/artifacts/34');
    expect(uploads).toEqual([{ name: `tailgate-html-${input.comparison.profile.id}`, text: expect.stringContaining('<!doctype html>'), retentionDays: 30 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
