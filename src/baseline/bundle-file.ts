import { BASELINE_SCHEMA, type BaselineBundle } from './baseline-bundle.js';
import { parseBaselineFile } from './read-baseline-file.js';
import { RecordError } from '../record/record-error.js';

/** Reads a stored bundle; a single run record is accepted as a bundle of one. */
export function parseBundle(text: string, source: string): BaselineBundle {
  const runs = parseBaselineFile(text, source);
  const first = runs[0];
  if (!first) throw new RecordError(source, 'a baseline bundle with no runs', 'record a new baseline from the default branch');
  return { schema: BASELINE_SCHEMA, profile: { ...first.meta.profile }, runs };
}

export function serializeBundle(bundle: BaselineBundle): string {
  return `${JSON.stringify(bundle)}\n`;
}
