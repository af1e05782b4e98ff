import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '../../src/analyze/analyze-run.js';
import type { Analysis } from '../../src/analyze/analysis-types.js';
import { loadProfile } from '../../src/config/load-profile.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * The stress, spike and soak examples each get the answer they are written for, run briefly (their
 * durations shortened through the variables the files read) against the sample service, the
 * three at once: the staircase a capacity (the sample service outruns it, so "at least"), the
 * spike a recovery, the soak a trend. What is asserted is the shape of each answer, read from the
 * profile's plan and the record's blocks, not how the sample service kept up: it runs with the
 * files three at a time.
 */
const EXAMPLES = join(import.meta.dirname, '../../examples/profiles');

describe('the stress, spike and soak examples answer their questions', () => {
  let service: SampleService;
  let answers: Record<'stress' | 'spike' | 'soak', Analysis>;
  beforeAll(async () => {
    service = await startSampleService();
    const run = async (name: string, env: Record<string, string>): Promise<Analysis> => {
      const profile = await loadProfile(join(EXAMPLES, `${name}.yml`), { env: { ...env, TARGET_URL: service.url } });
      return analyzeRun(await runProfile(profile), { thresholds: profile.thresholds });
    };
    const [stress, spike, soak] = await Promise.all([run('stress', { STEP: '2s' }), run('spike', { SPIKE: '4s' }), run('soak', { SOAK: '12s', VUS: '30' })]);
    answers = { stress: stress as Analysis, spike: spike as Analysis, soak: soak as Analysis };
  }, 60_000);
  afterAll(() => service.close());

  it('stress: a capacity over the VU staircase', () => {
    expect(answers.stress.shape).toBe('rising');
    expect(answers.stress.capacity?.unit).toBe('vus');
    expect(answers.stress.capacity?.levels.length).toBeGreaterThanOrEqual(3);
  });

  it('spike: the surge from 5 to 50 VUs and the recovery from it', () => {
    expect(answers.spike.shape).toBe('surge');
    expect(answers.spike.recovery).toHaveLength(1);
    expect(answers.spike.recovery[0]).toMatchObject({ beforeOffered: 5, surgeOffered: 50 });
  });

  it('soak: the slow burn over its steady hold', () => {
    expect(answers.soak.shape).toBe('steady');
    expect(answers.soak.trend?.blocks).toBeGreaterThanOrEqual(8);
  });
});
