import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { runBuiltAction, type StepResult, writeEvent } from '../helpers/built-action.js';
import { FAKE_REPO, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { k6Json, syntheticRequests, type SyntheticOptions } from '../import/synthetic-runs.js';

/**
 * The built Action (dist/index.js) given `results:`: another tool's file imported instead of a
 * load of its own, then recorded, compared and reported as a run of its own is. No load runs and
 * nothing is timed (the files are seeded k6 runs of known truth), so the file runs beside others.
 */
let github: FakeGitHub;
let workspace: string;
const HOUR = 3_600_000;
const MAIN_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';

beforeAll(async () => {
  github = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'tailgate-action-import-'));
});
afterAll(() => github.close());

/** A k6 --out json file of the seeded shop run `run`, written under the workspace; returns its path relative to it. */
function k6File(name: string, run: number, slow?: SyntheticOptions['slow']): string {
  const requests = syntheticRequests({ seed: 500 + run, startMs: Date.UTC(2026, 11, 1) + run * HOUR, ...(slow ? { slow } : {}) });
  mkdirSync(join(workspace, 'k6'), { recursive: true });
  writeFileSync(join(workspace, 'k6', name), k6Json(requests));
  return `k6/${name}`;
}

function step(options: { push?: boolean; inputs: Record<string, string> }): Promise<StepResult> {
  const push = options.push ?? false;
  return runBuiltAction({
    workspace,
    apiUrl: github.url,
    repository: `${FAKE_REPO.owner}/${FAKE_REPO.repo}`,
    eventName: push ? 'push' : 'pull_request',
    eventPath: writeEvent(workspace, push ? 'push-default-branch.json' : 'pull-request-same-repo.json'),
    ref: push ? 'refs/heads/main' : 'refs/pull/42/merge',
    sha: push ? MAIN_SHA : 'f'.repeat(40),
    inputs: {
      // No config exists in this workspace: with results, none is read.
      'baseline-storage': 'file',
      'baseline-file': join(workspace, 'baselines', 'checkout.json'),
      'github-token': 'ghs_fake_token_for_tests',
      'results-profile': 'checkout',
      ...options.inputs,
    },
  });
}

describe('results: another tool\'s file instead of a load', () => {
  it('records three imported runs on pushes, lets an unchanged one through and fails one step 50% slower, naming it', async () => {
    for (const run of [1, 2, 3]) {
      const recorded = await step({ push: true, inputs: { results: k6File(`base-${run}.json`, run) } });
      expect(recorded.code, recorded.stdout).toBe(0);
      expect(recorded.stdout).toContain(`imported 1200 requests of 3 steps from k6/base-${run}.json (k6) as profile checkout`);
      expect(recorded.summary).toContain('baseline recorded');
    }
    const bundle = JSON.parse(readFileSync(join(workspace, 'baselines', 'checkout.json'), 'utf8')) as { runs: Array<{ meta: { source?: { tool: string } } }> };
    expect(bundle.runs.map((r) => r.meta.source?.tool)).toEqual(['k6', 'k6', 'k6']);

    const unchanged = await step({ inputs: { results: k6File('unchanged.json', 4) } });
    expect(unchanged.code, unchanged.stdout).toBe(0);
    expect(['pass', 'inconclusive']).toContain(unchanged.outputs.verdict);
    expect(unchanged.summary).toContain('tailgate: checkout');

    const slowed = await step({ inputs: { results: k6File('slow.json', 4, { step: 'product detail', factor: 1.5 }) } });
    expect(slowed.code, slowed.stdout).toBe(1);
    expect(slowed.outputs.verdict).toBe('regression');
    const comparison = JSON.parse(readFileSync(slowed.outputs.report as string, 'utf8')) as Comparison;
    const regressed = comparison.steps.filter((s) => s.name !== 'overall' && s.p95.verdict === 'regression').map((s) => s.name);
    expect(regressed).toEqual(['product detail']);
    expect(slowed.summary).toContain('product detail');
    expect(github.comments.at(-1)?.body).toContain('product detail');
  }, 120_000);

  it('fails naming the input, the path and the fix when the file does not exist', async () => {
    const result = await step({ inputs: { results: 'k6/never-written.json' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::input "results" names k6\/never-written\.json \(.*never-written\.json\), which does not exist\. Fix: write the file in an earlier step/);
    expect(result.outputs.verdict).toBeUndefined();
  }, 30_000);

  it('fails naming the input when the path is a folder', async () => {
    mkdirSync(join(workspace, 'k6'), { recursive: true });
    const result = await step({ inputs: { results: 'k6' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::input "results" names k6 \(.*\), which is not a file\. Fix: give the path of the results file itself/);
  }, 30_000);

  it('fails with what the file looks like when it is of no format tailgate reads, or not the one results-format says', async () => {
    writeFileSync(join(workspace, 'page.html'), '<html><body>502 Bad Gateway</body></html>\n');
    const html = await step({ inputs: { results: 'page.html' } });
    expect(html.code).toBe(1);
    expect(html.stdout).toMatch(/::error::input "results" could not be imported: page\.html: this looks like a file of no format tailgate import reads/);

    const k6 = k6File('as-jmeter.json', 1);
    const wrong = await step({ inputs: { results: k6, 'results-format': 'jmeter' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(`${k6}: this looks like k6 --out json, not a JMeter JTL CSV. Fix: set results-format: k6, or results-format: auto to let tailgate tell`);
  }, 30_000);

  it('refuses results with baseline-url (a paired run measures, an import does not), before reading anything', async () => {
    const result = await step({ inputs: { results: 'k6/never-written.json', 'baseline-url': 'https://production.example.com' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::input "results" imports a run another tool measured, and baseline-url asks tailgate to measure a paired run .*Remove baseline-url .* or remove results/);
  }, 30_000);

  it("sends only requests that GitHub's OpenAPI description allows", () => {
    expect(github.violations).toEqual([]);
  });
});
