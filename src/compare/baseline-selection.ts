import type { RunRecord } from '../record/run-record-types.js';
import type { RunRef } from './comparison-types.js';
import { isSameRun, runRef, shortHash } from './run-ref.js';

/**
 * Which baseline runs can be compared with the current one. A run recorded with a different
 * profile measured a different load, and a run whose generator was the bottleneck measured the
 * generator: neither is compared, and the notes say so rather than quietly shrinking the history.
 */
export interface HistorySelection {
  used: RunRecord[];
  skipped: Array<{ run: RunRef; reason: string }>;
  notes: string[];
}

export function selectHistory(baselines: readonly RunRecord[], current: RunRecord): HistorySelection {
  const used: RunRecord[] = [];
  const skipped: HistorySelection['skipped'] = [];
  const otherProfiles = new Map<string, number>();
  let invalid = 0;
  let itself = false;
  for (const run of baselines) {
    if (run.meta.profile.hash !== current.meta.profile.hash) {
      otherProfiles.set(run.meta.profile.hash, (otherProfiles.get(run.meta.profile.hash) ?? 0) + 1);
      skipped.push({ run: runRef(run), reason: `recorded with a different profile (hash ${shortHash(run.meta.profile.hash)})` });
    } else if (isSameRun(run, current)) {
      itself = true;
      skipped.push({ run: runRef(run), reason: 'this is the current run itself' });
    } else if (!run.generator.valid) {
      invalid++;
      skipped.push({ run: runRef(run), reason: 'its load generator was the bottleneck' });
    } else {
      used.push(run);
    }
  }

  const notes: string[] = [];
  const currentHash = shortHash(current.meta.profile.hash);
  for (const [hash, count] of otherProfiles) {
    const subject = count === 1 ? 'baseline was' : `${count} baseline runs were`;
    notes.push(`${capitalize(subject)} recorded with a different profile (hash ${shortHash(hash)} vs ${currentHash}); not compared.`);
  }
  if (itself) notes.push('The baseline holds this very run; it was not compared with itself.');
  if (invalid > 0) notes.push(`${invalid === 1 ? '1 baseline run was' : `${invalid} baseline runs were`} left out: the load generator was the bottleneck in ${invalid === 1 ? 'it' : 'them'}.`);
  return { used, skipped, notes };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
