import { serverTimingAllowedPct } from '../config/regression-config.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import type { RunRecord, ServerTimingComponent } from '../record/run-record-types.js';
import { DEFAULT_TRIM } from '../stats/trimmed-mean.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import { worsePValue } from './metric-decision.js';
import { pairedP95, pairedShift, type BlockPair } from './paired-shift.js';
import { componentMeasurement, type ComponentTest } from './server-timing-tests.js';
import type { StepAnalysis } from './step-analysis.js';
import { groupBlocks, type GroupedBlock } from './step-measurement.js';

/**
 * Paired mode's Server-Timing tests: each component a step of both targets reported, tested as
 * the step's paired p95 is (`compare-paired.ts`): its `dur` per block stands in for the step's
 * latencies, the head's and the base's block p95s are paired block by block, and the trimmed
 * mean of their log differences is the change (`paired-shift.ts`). What `server-timing-tests.ts`
 * does with a stored baseline, with the base arm as the one baseline run; its results are judged,
 * gated and shown the same way (`judgeServerTiming`, `withServerTiming`).
 * `pairsOf`: the run's block pairs from each arm's whole paired blocks (`blockPairs`, up to the
 * look a sequential run decided at).
 */
export function pairedServerTimingTests(
  analyses: readonly StepAnalysis[],
  paired: PairedRecord,
  options: ResolvedCompareOptions,
  pairsOf: (head: GroupedBlock[], base: GroupedBlock[]) => BlockPair[],
): ComponentTest[] {
  const { head, base } = paired;
  const { blockMs, settleMs } = paired.meta.pairing;
  const whole = (groups: GroupedBlock[]): GroupedBlock[] => groups.filter((g) => Math.abs(g.seconds - (blockMs - settleMs) / 1000) < 1e-6);
  const groupsOf = (run: RunRecord, component: ServerTimingComponent): GroupedBlock[] => {
    const measurement = componentMeasurement(run, component);
    return whole(groupBlocks(measurement, Math.max(1, Math.round((blockMs - settleMs) / measurement.blockMs))));
  };
  return analyses.flatMap((analysis) => {
    if (analysis.source.kind !== 'step') return [];
    const step = analysis.source.name;
    const componentsOf = (run: RunRecord): Record<string, ServerTimingComponent> => (Object.hasOwn(run.steps, step) ? (run.steps[step]?.serverTiming?.components ?? {}) : {});
    const mine = componentsOf(head);
    const theirs = componentsOf(base);
    const names = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort();
    return names.map((name): ComponentTest => {
      const allowedPct = serverTimingAllowedPct(options.serverTiming, name);
      const common = { step, name, gated: allowedPct !== undefined && analysis.counted, allowedPct };
      const now = Object.hasOwn(mine, name) ? mine[name] : undefined;
      const before = Object.hasOwn(theirs, name) ? theirs[name] : undefined;
      if (now === undefined) return { ...common, untested: 'the head target did not report it' };
      if (before === undefined) return { ...common, untested: 'the base target did not report it' };
      const values = pairedP95(pairsOf(groupsOf(head, now), groupsOf(base, before)), options.minBlockRequests);
      if (!values.ok) return { ...common, untested: values.reason };
      const k = values.values.head.length;
      if (k < options.minBlocks) return { ...common, untested: `only ${k} usable block pairs, fewer than the ${options.minBlocks} needed to measure the noise` };
      const shift = pairedShift(values.values, { trim: DEFAULT_TRIM });
      return { ...common, tested: { shift, pValue: worsePValue(shift, 1), blocks: k } };
    });
  });
}
