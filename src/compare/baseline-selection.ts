import type { RunRecord } from '../record/run-record-types.js';
import type { RunRef } from './comparison-types.js';
import { isSameRun, runRef, shortHash } from './run-ref.js';
import { generatorAllowance } from '../record/generator-allowance.js';

/**
 * Which baseline runs can be compared with the current one. A run recorded with a different
 * profile measured a different load, and a run whose generator was the bottleneck without saying
 * by how much measured the generator: neither is compared, and the notes say so rather than
 * quietly shrinking the history.
 *
 * A run whose generator fell behind but says how far (`generator.lateness`) widens, it does not
 * discard (DESIGN.md "Statistics"): it is left out while at least MIN_ON_TIME runs kept up, since
 * they measure the level without it, and compared otherwise, its allowance taken into the
 * interval (`step-analysis.ts`). On a busy machine every baseline run may fall a little behind,
 * and one run left would measure no run-to-run noise at all.
 */
export const MIN_ON_TIME = 2;

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
  const late: RunRecord[] = [];
  for (const run of baselines) {
    if (run.meta.profile.hash !== current.meta.profile.hash) {
      otherProfiles.set(run.meta.profile.hash, (otherProfiles.get(run.meta.profile.hash) ?? 0) + 1);
      skipped.push({ run: runRef(run), reason: `recorded with a different profile (hash ${shortHash(run.meta.profile.hash)})` });
    } else if (isSameRun(run, current)) {
      itself = true;
      skipped.push({ run: runRef(run), reason: 'this is the current run itself' });
    } else if (!run.generator.valid && generatorAllowance(run) === undefined) {
      invalid++;
      skipped.push({ run: runRef(run), reason: 'its load generator was the bottleneck' });
    } else {
      if (!run.generator.valid) late.push(run);
      used.push(run);
    }
  }
  const lateLeftOut = used.length - late.length >= MIN_ON_TIME;
  if (lateLeftOut) {
    for (const run of late) skipped.push({ run: runRef(run), reason: `its load generator fell behind, and ${used.length - late.length} runs kept up` });
  }
  const compared = lateLeftOut ? used.filter((run) => !late.includes(run)) : used;

  const notes: string[] = [];
  const currentHash = shortHash(current.meta.profile.hash);
  for (const [hash, count] of otherProfiles) {
    const subject = count === 1 ? 'baseline was' : `${count} baseline runs were`;
    notes.push(`${capitalize(subject)} recorded with a different profile (hash ${shortHash(hash)} vs ${currentHash}); not compared.`);
  }
  if (itself) notes.push('The baseline holds this very run; it was not compared with itself.');
  if (invalid > 0) notes.push(`${invalid === 1 ? '1 baseline run was' : `${invalid} baseline runs were`} left out: the load generator was the bottleneck in ${invalid === 1 ? 'it' : 'them'}.`);
  if (late.length > 0) {
    const subject = late.length === 1 ? '1 baseline run was' : `${late.length} baseline runs were`;
    notes.push(
      lateLeftOut
        ? `${subject} left out: the load generator fell behind in ${late.length === 1 ? 'it' : 'them'}, and ${compared.length} runs kept up.`
        : `${subject} measured while the load generator fell behind; ${late.length === 1 ? 'it is' : 'they are'} compared with what the generator could have added allowed for (a pass must clear it too).`,
    );
  }
  return { used: compared, skipped, notes };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
