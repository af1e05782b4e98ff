import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BaselineBundle } from './baseline-bundle.js';
import { RecordError } from '../record/record-error.js';
import type { BaselineStore, FoundBaseline, SaveResult } from './baseline-store.js';
import { parseBundle, serializeBundle } from './bundle-file.js';

/**
 * A baseline kept in a file (in the repository, or on a self-hosted runner's disk). Written to a
 * temporary file first and renamed, so a failure midway never leaves half a baseline behind.
 */
export function fileStore(path: string): BaselineStore {
  return {
    kind: 'file',
    async load(profileId: string): Promise<FoundBaseline | undefined> {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new RecordError(path, `cannot read the baseline file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check baseline-file and its permissions');
      }
      const bundle = parseBundle(text, path);
      if (bundle.profile.id !== profileId) {
        throw new RecordError(path, `holds the baseline of profile "${bundle.profile.id}", not "${profileId}"`, 'give each profile its own baseline-file');
      }
      return { bundle, source: `file ${path}` };
    },
    async save(bundle: BaselineBundle): Promise<SaveResult> {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, serializeBundle(bundle));
      await rename(temporary, path);
      return { saved: true, where: `file ${path}` };
    },
  };
}
