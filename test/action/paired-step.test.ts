import { describe, expect, it } from 'vitest';
import { pairedStep, type PairedStepIo } from '../../src/action/paired-step.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { gateFailure } from '../../src/compare/gate-rule.js';
import { recordingLogger } from '../../src/logging.js';
import type { PairedRecord } from '../../src/record/paired-record-types.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';
import { profileWith } from '../helpers/profiles.js';

function fakeIo(paired: PairedRecord) {
  const files = new Map<string, string>();
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const published: string[] = [];
  const executed: string[] = [];
  const io: PairedStepIo = {
    execute: async (profile, baseUrl) => {
      executed.push(`${profile.target} vs ${baseUrl}`);
      return paired;
    },
    writeFile: async (path, text) => void files.set(path, text),
    writeSummary: async (markdown) => void summaries.push(markdown),
    setOutputs: (o) => Object.assign(outputs, o),
    uploadHtml: async () => 'https://github.com/o/r/actions/runs/1/artifacts/2',
    publish: async (_comparison: Comparison, markdown: string) => {
      published.push(markdown);
      return 'https://github.com/o/r/pull/7#issuecomment-1';
    },
    runUrl: 'https://github.com/o/r/actions/runs/1',
    logger: recordingLogger(),
  };
  return { io, files, outputs, summaries, published, executed };
}

const input = (paired: PairedRecord) => ({
  profile: profileWith({ target: paired.head.meta.target, scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 1000 } }] }),
  baselineUrl: paired.base.meta.target,
  options: {},
  workDir: '/tmp/work',
});

describe('the Action in paired mode (baseline-url)', () => {
  it('measures head against base, writes the record and comparison, reports the pairing and sets the outputs', async () => {
    const paired = syntheticPaired({ seed: 21, headScale: 1.3 });
    const fake = fakeIo(paired);
    const comparison = await pairedStep(input(paired), fake.io);
    expect(fake.executed).toEqual(['http://127.0.0.1:3001 vs http://127.0.0.1:3000']);
    expect(comparison.verdict).toBe('regression');
    expect(JSON.parse(fake.files.get('/tmp/work/paired.json') ?? '{}').schema).toBe('tailgate.paired/v1');
    expect(JSON.parse(fake.files.get('/tmp/work/comparison.json') ?? '{}').pairing.baselineTarget).toBe('http://127.0.0.1:3000');
    expect(fake.summaries[0]).toMatch(/Paired with http.*127\.0\.0\.1:3000 · 12 block pairs of 1 s · could detect/);
    expect(fake.published[0]).toBe(fake.summaries[0]);
    expect(fake.outputs).toMatchObject({ verdict: 'regression', report: '/tmp/work/comparison.json', 'comment-url': 'https://github.com/o/r/pull/7#issuecomment-1' });
    expect(Number(fake.outputs['p95-change-pct'])).toBeGreaterThan(15);
    expect(fake.outputs).toMatchObject({ 'paired-with': 'http://127.0.0.1:3000', 'block-pairs': '12' });
    // A fixed-length record: its 24 blocks of 1 s, no settle.
    expect(Number(fake.outputs['measured-seconds']) - paired.head.meta.warmupMs / 1000).toBeCloseTo(24, 5);
    expect(Number(fake.outputs['detectable-p95-change-pct'])).toBeGreaterThan(0);
  });

  it('passes equal targets', async () => {
    const paired = syntheticPaired({ seed: 22 });
    expect((await pairedStep(input(paired), fakeIo(paired).io)).verdict).toBe('pass');
  });

  it('reports an interrupted run and judges it inconclusive, never a regression, even when its head was slower', async () => {
    const paired = syntheticPaired({ seed: 23, headScale: 1.5 });
    const interrupted = { ...paired, head: { ...paired.head, meta: { ...paired.head.meta, interrupted: true } } };
    const fake = fakeIo(interrupted);
    const comparison = await pairedStep(input(interrupted), fake.io);
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.incomplete).toMatchObject({ cause: 'interrupted' });
    expect(gateFailure(comparison, 'regression')).toBeUndefined();
    expect(fake.outputs.verdict).toBe('inconclusive');
    expect(fake.summaries[0]).toMatch(/⚠️ Inconclusive: the run was interrupted \(Ctrl-C or SIGTERM\) after 12 s of the 12 s planned of measurement; only whole runs are judged\./);
  });
});
