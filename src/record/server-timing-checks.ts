import { decodeCounts, HistogramFormatError, type LatencyCounts } from './latency-counts.js';
import { fieldName, type FieldPath } from './record-field.js';
import type { RecordProblem } from './record-schema.js';
import type { RunRecord } from './run-record-types.js';
import { MAX_COMPONENT_BLOCKS } from './server-timing-tally.js';

/**
 * What the schema cannot say about a record's `Server-Timing` components, checked after it: each
 * component has one histogram per block of the record, each one tailgate writes, adding up to
 * the component's whole histogram and holding no more durations than entries named it; and
 * a record holds at most `MAX_COMPONENT_BLOCKS` of them in all.
 */
export function serverTimingProblem(record: RunRecord): RecordProblem | undefined {
  let componentBlocks = 0;
  const steps: Array<[FieldPath, RunRecord['overall']]> = [[['overall'], record.overall], ...Object.entries(record.steps).map(([name, step]): [FieldPath, RunRecord['overall']] => [['steps', name], step])];
  for (const [path, step] of steps) {
    const timing = step.serverTiming;
    if (timing === undefined) continue;
    for (const [name, component] of Object.entries(timing.components)) {
      const at = (...rest: FieldPath): string => fieldName([...path, 'serverTiming', 'components', name, ...rest]);
      if (component.blocks.length !== record.blocks.length) return { field: at('blocks'), problem: `holds ${component.blocks.length} entries, but the record has ${record.blocks.length} blocks` };
      componentBlocks += component.blocks.length;
      if (componentBlocks > MAX_COMPONENT_BLOCKS) {
        return { field: fieldName([...path, 'serverTiming']), problem: `takes the record past ${MAX_COMPONENT_BLOCKS} Server-Timing component blocks, more than tailgate writes` };
      }
      let inBlocks = 0;
      for (const [i, block] of component.blocks.entries()) {
        const counts = readCounts(block);
        if (typeof counts === 'string') return { field: at('blocks', i), problem: `is damaged: ${counts}` };
        inBlocks += counts.total;
      }
      const whole = readCounts(component.histogram);
      if (typeof whole === 'string') return { field: at('histogram'), problem: `is damaged: ${whole}` };
      if (whole.total !== inBlocks) return { field: at('histogram'), problem: `holds ${whole.total} durations, but its blocks hold ${inBlocks}` };
      if (whole.total > component.entries) return { field: at('histogram'), problem: `holds ${whole.total} durations, more than the component's entries (${component.entries})` };
    }
  }
  return undefined;
}

function readCounts(encoded: string): LatencyCounts | string {
  try {
    return decodeCounts(encoded);
  } catch (error) {
    if (error instanceof HistogramFormatError) return error.reason;
    throw error;
  }
}
