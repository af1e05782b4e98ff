import { addCounts, decodeCounts, percentileOfCounts } from '../../record/latency-counts.js';
import { blockLayout, type BlockPlace } from '../../record/paired-layout.js';
import type { PairedRecord } from '../../record/paired-record-types.js';
import type { RunRecord } from '../../record/run-record-types.js';
import { COLOR, round, seriesOnCommonX, stepOf, type ChartSpec } from './chart-data.js';

/**
 * A paired run's blocks in the order they ran: the p95 of each paired block of each arm, at the
 * block's measured part on the run's own clock (seconds from its start), with the settle after
 * each switch (loaded, not measured; at every block in older records) and the warm-up shaded. Each arm's record lays its measured
 * parts end to end, so its k-th group of recorded blocks is its k-th paired block.
 */
export function pairedBlocksChart(name: string, paired: PairedRecord): ChartSpec {
  const { blockMs, settleMs } = paired.meta.pairing;
  const warmupMs = paired.head.meta.warmupMs;
  const p95s = { head: groupP95s(paired.head, name, blockMs - settleMs), base: groupP95s(paired.base, name, blockMs - settleMs) };
  const seen = { head: 0, base: 0 };
  const points = { head: [] as Array<[number, number | null]>, base: [] as Array<[number, number | null]> };
  const bands: Array<[number, number]> = [];
  const places = blockLayout(paired.order, paired.meta.pairing, paired.meta.pairing.settleAt ?? 'block');
  paired.order.forEach((arm, i) => {
    const place = places[i] as BlockPlace;
    const startMs = warmupMs + place.startMs;
    const measuredStartMs = startMs + (place.settled ? settleMs : 0);
    if (place.settled && settleMs > 0) bands.push([round(startMs / 1000, 3), round(measuredStartMs / 1000, 3)]);
    const k = seen[arm]++;
    points[arm].push([round((measuredStartMs + (blockMs - settleMs) / 2) / 1000, 3), p95s[arm][k] ?? null]);
  });
  return {
    kind: 'time',
    yLabel: 'p95 ms',
    series: [
      { label: 'head (this run)', color: COLOR.run, style: 'line-points' },
      { label: 'base', color: COLOR.baseline, style: 'line-points' },
    ],
    data: seriesOnCommonX([points.head, points.base]),
    ...(warmupMs > 0 ? { warmup: [0, warmupMs / 1000] as [number, number] } : {}),
    ...(bands.length > 0 ? { bands } : {}),
  };
}

/** The p95 of each group of an arm's recorded blocks that make one paired block's measured part; null where it measured nothing. */
function groupP95s(record: RunRecord, name: string, measuredPartMs: number): Array<number | null> {
  const step = stepOf(record, name);
  if (step === undefined) return [];
  const size = Math.max(1, Math.round(measuredPartMs / record.meta.blockMs));
  const p95s: Array<number | null> = [];
  for (let start = 0; start < step.blocks.length; start += size) {
    const counts = addCounts(step.blocks.slice(start, start + size).map((b) => decodeCounts(b.histogram)));
    p95s.push(counts.total === 0 ? null : round(percentileOfCounts(counts, 95), 3));
  }
  return p95s;
}
