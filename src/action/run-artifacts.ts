import { DefaultArtifactClient, type FindOptions } from '@actions/artifact';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { looksLikeZip, readZipFiles, ZipRefused, type ZipFile } from './artifact-zip.js';

/**
 * The Action's own artifacts (fork reports, shard records, the HTML report): one file each, uploaded from this
 * job, downloaded by a later job of the same run or, with `findBy`, of another run.
 */

/** The two things the Action does with workflow artifacts; the real ones below, a fake in tests. */
export interface RunArtifacts {
  uploadFile: typeof uploadFileArtifact;
  downloadJson: typeof downloadJsonArtifacts;
}

export const workflowArtifacts: RunArtifacts = { uploadFile: uploadFileArtifact, downloadJson: downloadJsonArtifacts };

/** Uploads one file as the artifact `name` of this run; returns the artifact's id when the service gives one. */
export async function uploadFileArtifact(name: string, file: string, retentionDays: number): Promise<number | undefined> {
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, [file], dirname(file), { retentionDays });
  return id;
}

/**
 * How much of other runs' artifacts is read: how many artifacts, how large each may be as listed
 * and as downloaded (zipped), and how much its JSON files may inflate to, each and together.
 */
export interface ArtifactLimits {
  maxArtifacts: number;
  maxArtifactBytes: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** How many JSON files one artifact must hold, at least and at most. */
  jsonFiles: { min: number; max: number };
}

/** For the Action's own artifacts of this run (shard records): far beyond what they hold, but not unbounded. */
const GENEROUS_LIMITS: ArtifactLimits = { maxArtifacts: 1000, maxArtifactBytes: 2 ** 30, maxFileBytes: 2 ** 29, maxTotalBytes: 2 ** 30, jsonFiles: { min: 0, max: 1000 } };
const MAX_ZIP_ENTRIES = 1000;

/** An artifact that was listed but not read, and why. */
export class ArtifactSkipped extends Error {
  constructor(
    readonly artifact: string,
    readonly problem: string,
  ) {
    super(`artifact ${artifact}: ${problem}`);
  }
}

/**
 * The JSON files of every artifact whose name `wanted` accepts: of this run, or of the run
 * `findBy` names; with `latest`, only the newest attempt's artifact of each name. Each comes with
 * the artifact's name, for messages. Artifacts are read in name order and within `limits`: one
 * listed as larger than allowed is not downloaded, and its zip is read by the bounded reader
 * (artifact-zip.ts), never extracted to disk. An artifact that cannot be read goes to `onSkip`
 * when given (the others are still read), else the download fails with it.
 */
export async function downloadJsonArtifacts(
  wanted: (name: string) => boolean,
  workDir: string,
  options: { findBy?: FindOptions['findBy']; latest?: boolean; limits?: ArtifactLimits; onSkip?: (skipped: ArtifactSkipped) => void } = {},
): Promise<Array<{ artifact: string; text: string }>> {
  const limits = options.limits ?? GENEROUS_LIMITS;
  const client = new DefaultArtifactClient();
  const found = options.findBy ? { findBy: options.findBy } : {};
  const { artifacts } = await client.listArtifacts({ ...(options.latest ? { latest: true } : {}), ...found });
  const matching = artifacts.filter((a) => wanted(a.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  const skip = (skipped: ArtifactSkipped): void => {
    if (options.onSkip === undefined) throw skipped;
    options.onSkip(skipped);
  };
  const files: Array<{ artifact: string; text: string }> = [];
  for (const [index, artifact] of matching.entries()) {
    if (index >= limits.maxArtifacts) {
      skip(new ArtifactSkipped(artifact.name, `one of more than ${limits.maxArtifacts} such artifacts in the run: not read`));
      continue;
    }
    try {
      for (const text of await downloadJsonFiles(client, artifact, join(workDir, `artifact-${artifact.id}`), limits, found)) files.push({ artifact: artifact.name, text });
    } catch (error) {
      skip(error instanceof ArtifactSkipped ? error : new ArtifactSkipped(artifact.name, `could not be downloaded: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  return files;
}

/** One artifact's JSON files: downloaded as it is stored (its zip), then read with limits. */
async function downloadJsonFiles(client: DefaultArtifactClient, artifact: { id: number; name: string; size: number }, path: string, limits: ArtifactLimits, found: Pick<FindOptions, 'findBy'>): Promise<string[]> {
  const refuse = (problem: string): never => {
    throw new ArtifactSkipped(artifact.name, problem);
  };
  if (!(artifact.size <= limits.maxArtifactBytes)) refuse(`is listed at ${artifact.size} bytes, more than the ${limits.maxArtifactBytes} read: not downloaded`);
  await rm(path, { recursive: true, force: true });
  await mkdir(path, { recursive: true });
  await client.downloadArtifact(artifact.id, { path, skipDecompress: true, ...found });
  const downloaded = await readdir(path, { withFileTypes: true });
  const file = downloaded.length === 1 && downloaded[0]?.isFile() ? join(path, downloaded[0].name) : refuse('did not download as one file');
  const size = (await stat(file)).size;
  if (size > limits.maxArtifactBytes) refuse(`downloaded ${size} bytes, more than the ${limits.maxArtifactBytes} read`);
  const bytes = await readFile(file);
  await rm(path, { recursive: true, force: true });
  const isJson = (name: string): boolean => name.endsWith('.json');
  let contents: ZipFile[];
  if (looksLikeZip(bytes)) {
    try {
      contents = readZipFiles(bytes, isJson, { maxFileBytes: limits.maxFileBytes, maxTotalBytes: limits.maxTotalBytes, maxEntries: MAX_ZIP_ENTRIES });
    } catch (error) {
      if (error instanceof ZipRefused) return refuse(error.message);
      throw error;
    }
  } else {
    // Stored without a zip (an upload that skipped the archive): the file itself, by its name.
    const name = basename(file);
    if (isJson(name) && bytes.length > Math.min(limits.maxFileBytes, limits.maxTotalBytes)) refuse(`its file is larger than ${Math.min(limits.maxFileBytes, limits.maxTotalBytes)} bytes`);
    contents = isJson(name) ? [{ name, data: bytes }] : [];
  }
  const { min, max } = limits.jsonFiles;
  if (contents.length < min) refuse(contents.length === 0 ? 'holds no JSON file' : `holds ${contents.length} JSON files, fewer than ${min}`);
  if (contents.length > max) refuse(`holds ${contents.length} JSON files, more than ${max}`);
  return contents.map(({ data }) => data.toString('utf8'));
}
