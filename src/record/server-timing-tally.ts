import { createHistogram, encodeHistogram, recordMicros, type Histogram } from './histogram.js';
import type { EncodedHistogram, ServerTimingComponent, ServerTimingRecord } from './run-record-types.js';

/**
 * What one step's responses said in `Server-Timing`, over the measured period: per component
 * (metric name) an HDR histogram of its `dur` (µs, as latencies) per block, how many entries
 * named it, and its first description. A step keeps at most `MAX_COMPONENTS` names, the first
 * seen; entries of further names, of names longer than `MAX_NAME_LENGTH` and of names objects
 * already own (`__proto__`) are counted as dropped. Nothing is allocated for a step whose responses carry no such header.
 */
export const MAX_COMPONENTS = 20;
export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 200;
/**
 * At most this many component blocks in a record, all steps together, so a long run of many
 * steps stays quick to read: beyond it, the components with the fewest entries are dropped whole.
 */
export const MAX_COMPONENT_BLOCKS = 100_000;

/** Names JavaScript objects already own: a record never holds them (the reader refuses them). */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

interface ComponentTally {
  blocks: Array<Histogram | undefined>;
  entries: number;
  description: string | undefined;
}

/** One step's tally; it reads a header as the parser's sink (`readServerTiming(header, tally)`). */
export class ServerTimingTally {
  responses = 0;
  malformedEntries = 0;
  dropped = 0;
  private readonly components = new Map<string, ComponentTally>();
  /** The block the response being read belongs to. */
  private block = 0;

  /** Sets the block of the response whose header is read next. */
  startResponse(block: number): void {
    this.responses++;
    this.block = block;
  }

  metric(name: string, durMs: number | undefined, desc: string | undefined): void {
    let component = this.components.get(name);
    if (component === undefined) {
      if (this.components.size >= MAX_COMPONENTS || name.length > MAX_NAME_LENGTH || RESERVED.has(name)) {
        this.dropped++;
        return;
      }
      component = { blocks: [], entries: 0, description: undefined };
      this.components.set(name, component);
    }
    component.entries++;
    if (component.description === undefined && desc !== undefined && desc !== '') component.description = desc.slice(0, MAX_DESCRIPTION_LENGTH);
    if (durMs === undefined) return;
    const histogram = (component.blocks[this.block] ??= createHistogram());
    recordMicros(histogram, durMs * 1000);
  }

  malformed(): void {
    this.malformedEntries++;
  }

  /** The record, `blockCount` blocks long: later blocks (a graceful stop's tail) fold into the last. */
  toRecord(blockCount: number): ServerTimingRecord {
    const components: Array<[string, ServerTimingComponent]> = [];
    for (const [name, tally] of this.components) {
      const whole = createHistogram();
      const blocks: EncodedHistogram[] = [];
      const last = createHistogram();
      for (let i = 0; i < tally.blocks.length; i++) {
        const histogram = tally.blocks[i];
        if (histogram === undefined) continue;
        whole.add(histogram);
        if (i >= blockCount - 1) last.add(histogram);
      }
      for (let i = 0; i < blockCount - 1; i++) {
        const histogram = tally.blocks[i];
        blocks.push(histogram === undefined ? emptyHistogram() : encodeHistogram(histogram));
      }
      blocks.push(encodeHistogram(last));
      components.push([name, {
        histogram: encodeHistogram(whole),
        entries: tally.entries,
        ...(tally.description !== undefined ? { description: tally.description } : {}),
        blocks,
      }]);
    }
    // fromEntries defines each name as the record's own key: a component named __proto__ is kept, not a setter.
    return { responses: this.responses, malformed: this.malformedEntries, dropped: this.dropped, components: Object.fromEntries(components) };
  }
}

let empty: EncodedHistogram | undefined;

/** A histogram with nothing in it, as stored. */
export function emptyHistogram(): EncodedHistogram {
  return (empty ??= encodeHistogram(createHistogram()));
}

/**
 * Keeps a record's component blocks within `MAX_COMPONENT_BLOCKS`: the components with the
 * fewest entries (of all steps) are dropped whole, their entries counted as dropped.
 */
export function withinComponentBudget<T extends { serverTiming?: ServerTimingRecord }>(steps: Record<string, T>, budget = MAX_COMPONENT_BLOCKS): void {
  const all: Array<{ record: ServerTimingRecord; name: string; entries: number; blocks: number }> = [];
  let total = 0;
  for (const step of Object.values(steps)) {
    const record = step.serverTiming;
    if (record === undefined) continue;
    for (const [name, component] of Object.entries(record.components)) {
      all.push({ record, name, entries: component.entries, blocks: component.blocks.length });
      total += component.blocks.length;
    }
  }
  if (total <= budget) return;
  all.sort((a, b) => a.entries - b.entries);
  for (const item of all) {
    if (total <= budget) break;
    delete item.record.components[item.name];
    item.record.dropped += item.entries;
    total -= item.blocks;
  }
}
