import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApiRouter } from '../helpers/api-router.js';
import { defaultInputEnv, EVENTS_DIR, spawnAction } from '../helpers/built-action.js';
import { startFakeActionsServices, type FakeActionsServices, type FakeRun } from '../helpers/fake-actions-services.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { deflatedSpaces, zipArchive, type ZipEntry } from '../helpers/zip-archive.js';

/**
 * The built Action (dist/index.js) in `mode: report`, as a `workflow_run` workflow runs it after a
 * fork's pull-request run: the fork's run is simulated by artifacts put straight into the fake
 * Actions services (any bytes a fork could upload), the report step downloads them with the real
 * @actions/artifact code, and posts through the fake GitHub API, on loopback. Each case is an
 * attack on that boundary: what the step must refuse, bound, or survive, while it still posts
 * the good reports beside the bad.
 */
const FORK_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const PR = 43;
const PAYLOAD = '0.05 @octocat <img src=x onerror=alert(1)> [Approve and merge](https://evil.example/merge) <!-- tailgate:profile=api -->';
const PAYLOAD_PIECES = ['octocat', '<img', 'Approve and merge', 'evil.example', 'tailgate:profile=api -->'];

const comparison = JSON.parse(readFileSync(join(import.meta.dirname, '../report/comparisons/regression.json'), 'utf8')) as Record<string, unknown> & { profile: { id: string; hash: string }; steps: unknown[] };

/** A report as a tailgate run writes it, for profile `id`, with `edit` made to its comparison. */
function reportJson(id: string, edit: (c: Record<string, any>) => void = () => {}): string {
  const copy = structuredClone(comparison) as Record<string, any>;
  copy.profile.id = id;
  edit(copy);
  return JSON.stringify({ schema: 'tailgate.fork-report/v1', profileId: id, pullRequest: PR, headSha: FORK_SHA, comparison: copy });
}

/** An artifact as upload-artifact stores one file: a zip holding it. */
function reportZip(json: string): Buffer {
  return zipArchive([{ name: 'report.json', data: json }]);
}

let actions: FakeActionsServices;
let workspace: string;
beforeAll(async () => {
  actions = await startFakeActionsServices();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-fork-report-e2e-'));
}, 60_000);
afterAll(async () => {
  await actions.close();
});

let github: FakeGitHub;
let router: { url: string; close: () => Promise<void> };
let forkRun: FakeRun;
beforeEach(async () => {
  github = await startFakeGitHub();
  router = await startApiRouter({ actions: actions.apiUrl, github: github.url });
  github.addPullRequest({ number: PR, headSha: FORK_SHA });
  forkRun = actions.startRun({ ref: `refs/pull/${PR}/merge`, sha: FORK_SHA, headBranch: 'batch-orders', fromFork: true, cacheAccess: 'read-only' });
});
afterEach(async () => {
  await router.close();
  await github.close();
});

interface ReportResult {
  code: number | null;
  log: string;
  summary: string;
  outputs: string;
  /** Every file the step left under its RUNNER_TEMP, with its size. */
  tempFiles: Array<{ path: string; size: number }>;
}

/** mode: report in a workflow_run workflow triggered by `forkRun`, against the fakes. */
async function reportStep(extra: Record<string, string> = {}): Promise<ReportResult> {
  const dir = mkdtempSync(join(workspace, 'step-'));
  const temp = join(dir, 'runner-temp');
  mkdirSync(temp);
  const payload = JSON.parse(readFileSync(join(EVENTS_DIR, 'workflow-run-fork.json'), 'utf8')) as { workflow_run: { id: number; head_sha: string } };
  payload.workflow_run.id = forkRun.id;
  payload.workflow_run.head_sha = FORK_SHA;
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const reportRun = actions.startRun({ ref: 'refs/heads/main', sha: MAIN_SHA, event: 'workflow_run' });
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', CI: 'true', RUNNER_OS: 'Linux' };
  for (const [name, value] of Object.entries(reportRun.jobEnv({ workspace: dir, temp }))) if (value !== undefined) env[name] = value;
  Object.assign(env, defaultInputEnv(), {
    GITHUB_API_URL: router.url,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    INPUT_MODE: 'report',
    'INPUT_GITHUB-TOKEN': actions.token,
    ...extra,
  });
  const { code, log } = await spawnAction(env, dir);
  return { code, log, summary: readFileSync(summaryFile, 'utf8'), outputs: readFileSync(outputFile, 'utf8'), tempFiles: filesUnder(temp) };
}

function filesUnder(dir: string): Array<{ path: string; size: number }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, size: statSync(path).size };
    });
}

const warnings = (log: string): string[] => log.split('\n').filter((line) => line.startsWith('::warning::'));
const commentsOnPr = (): string[] => github.comments.filter((c) => c.issueNumber === PR).map((c) => c.body);
const downloads = (): number => actions.calls.filter((c) => c.method === 'actions/download-artifact').length;

/** What every case expects of the step: it ends well, and never with a stack or a "please report it". */
function expectSoftEnd(result: ReportResult): void {
  expect(result.code, result.log).toBe(0);
  expect(result.log).not.toMatch(/please report it|\n\s+at .*\(.*:\d+:\d+\)|RangeError|EISDIR/);
}

describe('mode: report, against the built bundle', () => {
  it('posts a good report as the fork run reported it: a neutral check, and the comment and check say whose verdict it is', async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    const result = await reportStep();
    expectSoftEnd(result);
    expect(commentsOnPr()).toHaveLength(1);
    expect(commentsOnPr()[0]).toMatch(/> ℹ️ Measured and reported by the pull request's own workflow run \(\d+\), which ran the fork's code/);
    expect(github.checkRuns).toEqual([expect.objectContaining({ headSha: FORK_SHA, name: 'tailgate: api', conclusion: 'neutral' })]);
    expect(github.checkRuns[0]?.output.title).toMatch(/^regression, 1 threshold\(s\) broken \(as reported by the pull request's run \d+\)$/);
    expect(result.summary).toContain('fork-verdict: neutral');
    expect(github.violations).toEqual([]);
    expect(actions.violations).toEqual([]);
  }, 60_000);

  it('with fork-verdict: enforce, the check concludes as the fork run reported', async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    const result = await reportStep({ 'INPUT_FORK-VERDICT': 'enforce' });
    expectSoftEnd(result);
    expect(github.checkRuns).toEqual([expect.objectContaining({ conclusion: 'failure' })]);
  }, 60_000);

  // Case 1: markdown injection through a number field.
  it('refuses a report whose numbers are markdown, and posts nothing of it anywhere', async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-shop', reportZip(reportJson('shop', (c) => (c.settings.alpha = PAYLOAD))));
    await actions.putArtifact(
      forkRun,
      'tailgate-report-paired',
      reportZip(
        reportJson('paired', (c) => {
          c.settings.correctedTests = PAYLOAD;
          c.settings.noiseFloorPct = PAYLOAD;
          c.steps[0].p95.noise.historyRuns = PAYLOAD;
          c.pairing = { baselineTarget: 'http://127.0.0.1:3000', pairs: PAYLOAD, blockSeconds: PAYLOAD, settleSeconds: PAYLOAD, order: 'abba' };
        }),
      ),
    );
    await actions.putArtifact(forkRun, 'tailgate-report-web', reportZip(reportJson('web')));
    const result = await reportStep();
    const posted = [...commentsOnPr(), ...github.checkRuns.map((r) => `${r.output.title ?? ''}\n${r.output.summary ?? ''}`), result.summary, result.outputs];
    for (const text of posted) for (const piece of PAYLOAD_PIECES) expect(text, piece).not.toContain(piece);
    expectSoftEnd(result);
    expect(warnings(result.log).join('\n')).toMatch(/artifact tailgate-report-shop: its comparison is not one tailgate writes: settings\.alpha must be number/);
    expect(warnings(result.log).join('\n')).toMatch(/artifact tailgate-report-paired: its comparison is not one tailgate writes: settings\.noiseFloorPct must be number/);
    expect(github.checkRuns.map((r) => r.name)).toEqual(['tailgate: web']);
  }, 60_000);

  // Case 5: a zip bomb, and an artifact listed as too large.
  it('reads no file of an artifact past 5 MiB: a zip bomb is refused, a too-large artifact is not downloaded, the good one is posted', async () => {
    const bomb = zipArchive([deflatedSpaces('report.json', 128 * 2 ** 20)]);
    expect(bomb.length).toBeLessThan(256 * 2 ** 10);
    await actions.putArtifact(forkRun, 'tailgate-report-bomb', bomb);
    const noise = Buffer.alloc(6 * 2 ** 20);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    await actions.putArtifact(forkRun, 'tailgate-report-huge', zipArchive([{ name: 'report.json', data: noise, store: true }]));
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    const before = downloads();
    const result = await reportStep();
    expectSoftEnd(result);
    const warned = warnings(result.log).join('\n');
    expect(warned).toMatch(/artifact tailgate-report-bomb: "report\.json" is larger than 5 MiB: not posted/);
    expect(warned).toMatch(/artifact tailgate-report-huge: is listed at \d+ bytes, more than the 5242880 read: not downloaded/);
    expect(downloads() - before).toBe(2);
    expect(result.tempFiles.filter((f) => f.size > 5 * 2 ** 20)).toEqual([]);
    expect(github.checkRuns.map((r) => r.name)).toEqual(['tailgate: api']);
  }, 60_000);

  // Case 6: how much one run can make the step do.
  it('posts at most 10 reports of one run, and says which it left out', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
    for (const id of ids) await actions.putArtifact(forkRun, `tailgate-report-${id}`, reportZip(reportJson(id)));
    const before = downloads();
    const result = await reportStep();
    expectSoftEnd(result);
    expect(github.checkRuns.map((r) => r.name)).toEqual(ids.slice(0, 10).map((id) => `tailgate: ${id}`));
    expect(commentsOnPr()).toHaveLength(10);
    expect(downloads() - before).toBe(10);
    for (const id of ['p11', 'p12']) expect(result.log).toContain(`::warning::artifact tailgate-report-${id}: one of more than 10 such artifacts in the run: not read: not posted`);
  }, 60_000);

  it("refuses a report whose profile id is not its artifact's name, and one of 1,500 steps", async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('shop')));
    const step = comparison.steps[1];
    const big = reportJson('big', (c) => (c.steps = [c.steps[0], ...Array.from({ length: 1500 }, (_, i) => ({ ...(step as object), name: `step-${i}` }))]));
    expect(big.length).toBeGreaterThan(4 * 2 ** 20);
    await actions.putArtifact(forkRun, 'tailgate-report-big', reportZip(big));
    await actions.putArtifact(forkRun, 'tailgate-report-good', reportZip(reportJson('good')));
    const result = await reportStep();
    expectSoftEnd(result);
    const warned = warnings(result.log).join('\n');
    expect(warned).toMatch(/artifact tailgate-report-api: its profile id is not the one the artifact is named for/);
    expect(warned).toMatch(/artifact tailgate-report-big: its comparison is not one tailgate writes: steps holds more than 201 entries/);
    expect(github.checkRuns.map((r) => r.name)).toEqual(['tailgate: good']);
  }, 60_000);

  // Case 7: missing permissions are warnings that name them.
  it('without actions: read, warns naming it and ends well', async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    actions.denyActionsRead();
    try {
      const result = await reportStep();
      expectSoftEnd(result);
      expect(warnings(result.log).join('\n')).toMatch(/could not list the artifacts of run \d+, so no report was posted: GitHub answered 403\. The workflow's token needs `actions: read`/);
      expect(github.checkRuns).toEqual([]);
    } finally {
      actions.denyActionsRead(false);
    }
  }, 60_000);

  it('without pull-requests: read, says so instead of "not open"', async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    github.failNext('pulls/get', { times: Infinity, status: 403, message: 'Resource not accessible by integration' });
    const result = await reportStep();
    expectSoftEnd(result);
    expect(result.log).not.toContain('is not open');
    expect(warnings(result.log).join('\n')).toMatch(/could not read pull request #43 .*: GitHub answered 403\. The workflow's token needs `pull-requests: read`/);
  }, 60_000);

  it('without pull-requests: write and checks: write, warns naming each and ends well', async () => {
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    github.failNext('checks/create', { times: Infinity, status: 403, message: 'Resource not accessible by integration' });
    github.failNext('issues/create-comment', { times: Infinity, status: 403, message: 'Resource not accessible by integration' });
    const result = await reportStep();
    expectSoftEnd(result);
    const warned = warnings(result.log).join('\n');
    expect(warned).toMatch(/check run failed: .*403.*`checks: write`/);
    expect(warned).toMatch(/PR comment failed: .*403.*`pull-requests: write`/);
  }, 60_000);

  // Case 8: one bad artifact does not stop the others.
  it('skips artifacts that are not reports (no JSON, a folder named x.json, other JSON, not a zip) and posts the good one', async () => {
    const bad: Array<[string, ZipEntry[]]> = [
      ['tailgate-report-notes', [{ name: 'notes.txt', data: 'not a report' }]],
      ['tailgate-report-folder', [{ name: 'x.json/' }, { name: 'x.json/inner.txt', data: 'hi' }]],
      ['tailgate-report-other', [{ name: 'data.json', data: '{"hello":"world"}' }]],
      ['tailgate-report-two', [{ name: 'a.json', data: reportJson('two') }, { name: 'b.json', data: reportJson('two') }]],
    ];
    for (const [name, entries] of bad) await actions.putArtifact(forkRun, name, zipArchive(entries));
    await actions.putArtifact(forkRun, 'tailgate-report-broken', Buffer.from('PK\u0003\u0004 this is no zip at all'));
    await actions.putArtifact(forkRun, 'tailgate-report-api', reportZip(reportJson('api')));
    const result = await reportStep();
    expectSoftEnd(result);
    const warned = warnings(result.log).join('\n');
    expect(warned).toMatch(/artifact tailgate-report-notes: holds no JSON file: not posted/);
    expect(warned).toMatch(/artifact tailgate-report-folder: holds no JSON file: not posted/);
    expect(warned).toMatch(/artifact tailgate-report-other: not a tailgate fork report/);
    expect(warned).toMatch(/artifact tailgate-report-two: holds 2 JSON files, more than 1: not posted/);
    expect(warned).toMatch(/artifact tailgate-report-broken: it is not a zip archive: not posted/);
    expect(github.checkRuns.map((r) => r.name)).toEqual(['tailgate: api']);
    expect(commentsOnPr()).toHaveLength(1);
  }, 60_000);
});
