import { decodeHistogram, encodeHistogram, mergeHistograms } from './histogram.js';
import type { ServerTimingComponent, ServerTimingRecord, StepRecord } from './run-record-types.js';
import { emptyHistogram, MAX_COMPONENTS } from './server-timing-tally.js';

/**
 * Shards' `Server-Timing` components of one step, added exactly: histograms bucket by bucket,
 * block by block (a shorter shard's missing blocks are empty), counts summed. Kept when any
 * shard has them. A step keeps at most `MAX_COMPONENTS` names as a record does: those with the
 * most entries; the others' entries are counted as dropped.
 */
export function mergeServerTiming(steps: readonly StepRecord[], blockCount: number): Pick<StepRecord, 'serverTiming'> {
  const parts = steps.flatMap((s) => (s.serverTiming ? [s.serverTiming] : []));
  if (parts.length === 0) return {};
  const names = [...new Set(parts.flatMap((p) => Object.keys(p.components)))];
  const merged = names.map((name): [string, ServerTimingComponent] => {
    const components = parts.flatMap((p) => (Object.hasOwn(p.components, name) ? [p.components[name] as ServerTimingComponent] : []));
    const add = (histograms: readonly string[]): string => (histograms.length === 1 ? (histograms[0] as string) : encodeHistogram(mergeHistograms(histograms.map(decodeHistogram))));
    const description = components.find((c) => c.description !== undefined)?.description;
    return [
      name,
      {
        histogram: add(components.map((c) => c.histogram)),
        entries: components.reduce((sum, c) => sum + c.entries, 0),
        ...(description !== undefined ? { description } : {}),
        blocks: Array.from({ length: blockCount }, (_, i) => {
          const inBlock = components.flatMap((c) => (c.blocks[i] !== undefined ? [c.blocks[i]] : []));
          return inBlock.length === 0 ? emptyHistogram() : add(inBlock);
        }),
      },
    ];
  });
  merged.sort((a, b) => b[1].entries - a[1].entries);
  const kept = merged.slice(0, MAX_COMPONENTS);
  const record: ServerTimingRecord = {
    responses: parts.reduce((sum, p) => sum + p.responses, 0),
    malformed: parts.reduce((sum, p) => sum + p.malformed, 0),
    dropped: parts.reduce((sum, p) => sum + p.dropped, 0) + merged.slice(MAX_COMPONENTS).reduce((sum, [, c]) => sum + c.entries, 0),
    // fromEntries defines each name as the record's own key.
    components: Object.fromEntries(kept),
  };
  return { serverTiming: record };
}
