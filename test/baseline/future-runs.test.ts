import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoStore } from '../../src/baseline/auto-store.js';
import { BASELINE_SCHEMA, type BaselineBundle } from '../../src/baseline/baseline-bundle.js';
import { fileStore } from '../../src/baseline/file-store.js';
import { refuseFutureRuns } from '../../src/baseline/future-runs.js';
import { recordingLogger } from '../../src/logging.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { buildRunRecord, constantBlocks } from '../compare/record-builder.js';

/** The clock these tests hold still. */
const NOW = new Date('2026-06-01T12:00:00Z');
const now = (): Date => NOW;

function runAt(runId: string, startedAt: string): RunRecord {
  const run = buildRunRecord({ steps: { home: constantBlocks([1]) }, runId, commit: `${runId}`.padEnd(40, '0') });
  run.meta.startedAt = startedAt;
  run.meta.endedAt = new Date(Date.parse(startedAt) + 4000).toISOString();
  return run;
}

function bundleOf(...runs: RunRecord[]): BaselineBundle {
  const first = runs[0] as RunRecord;
  return { schema: BASELINE_SCHEMA, profile: { ...first.meta.profile }, runs };
}

/** A baseline file holding `bundle`, read through a real file store. */
function fileHolding(bundle: BaselineBundle): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tailgate-future-')), 'baseline.json');
  writeFileSync(path, `${JSON.stringify(bundle)}\n`);
  return path;
}

const profileId = runAt('a', '2026-05-01T00:00:00.000Z').meta.profile.id;

describe('a stored run dated in the future', () => {
  it('is skipped when read, with a warning naming it; the runs recorded before it stay', async () => {
    const logger = recordingLogger();
    const path = fileHolding(bundleOf(runAt('good1', '2026-05-30T00:00:00.000Z'), runAt('forged', '2099-01-01T00:00:00.000Z'), runAt('good2', '2026-05-31T00:00:00.000Z')));
    const found = await refuseFutureRuns(fileStore(path), { now, logger }).load(profileId);
    expect(found?.bundle.runs.map((r) => r.meta.runId)).toEqual(['good1', 'good2']);
    expect(logger.lines).toEqual([
      `warning: The baseline in file ${path} holds run forged (commit forged0, dated 2099-01-01T00:00:00.000Z) is dated more than 10 minutes after this runner's clock (2026-06-01T12:00:00.000Z); that run was skipped`,
    ]);
  });

  it('leaves no baseline when it is all the bundle holds', async () => {
    const logger = recordingLogger();
    const path = fileHolding(bundleOf(runAt('forged', '2099-01-01T00:00:00.000Z')));
    expect(await refuseFutureRuns(fileStore(path), { now, logger }).load(profileId)).toBeUndefined();
    expect(logger.lines).toEqual([expect.stringMatching(/^warning: .*run forged .*dated 2099-01-01.*skipped$/)]);
  });

  it('is taken as recorded now within 10 minutes of the clock (runners’ clocks differ)', async () => {
    const logger = recordingLogger();
    const path = fileHolding(bundleOf(runAt('skewed', '2026-06-01T12:05:00.000Z')));
    expect((await refuseFutureRuns(fileStore(path), { now, logger }).load(profileId))?.bundle.runs).toHaveLength(1);
    expect(logger.lines).toEqual([]);
  });

  it('is refused when stored', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tailgate-future-')), 'baseline.json');
    const store = refuseFutureRuns(fileStore(path), { now, logger: recordingLogger() });
    const result = await store.save(bundleOf(runAt('forged', '2099-01-01T00:00:00.000Z')), { commit: 'c', runId: '1' });
    expect(result).toEqual({ saved: false, warning: expect.stringMatching(/^The baseline was not saved: it holds run forged .*dated 2099-01-01T00:00:00.000Z\) is dated more than 10 minutes after/) });
    expect(await fileStore(path).load(profileId)).toBeUndefined();
  });

  it('cannot win auto’s choice of the newer baseline', async () => {
    const logger = recordingLogger();
    const guarded = (path: string) => refuseFutureRuns(fileStore(path), { now, logger });
    const cache = fileHolding(bundleOf(runAt('old', '2026-05-01T00:00:00.000Z'), runAt('forged', '2099-01-01T00:00:00.000Z')));
    const artifact = fileHolding(bundleOf(runAt('recent', '2026-05-31T00:00:00.000Z')));
    const found = await autoStore({ cache: guarded(cache), artifact: guarded(artifact) }, logger).load(profileId);
    expect(found?.source).toBe(`file ${artifact}`);
    expect(found?.bundle.runs.map((r) => r.meta.runId)).toEqual(['recent']);
    expect(logger.lines).toEqual([expect.stringMatching(/^warning: The baseline in file .* holds run forged .* that run was skipped$/)]);
  });
});
