import { DefaultArtifactClient, type FindOptions } from '@actions/artifact';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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
 * The JSON files of every artifact whose name `wanted` accepts: of this run, or of the run
 * `findBy` names; with `latest`, only the newest attempt's artifact of each name. Each comes with
 * the artifact's name, for messages.
 */
export async function downloadJsonArtifacts(
  wanted: (name: string) => boolean,
  workDir: string,
  options: { findBy?: FindOptions['findBy']; latest?: boolean } = {},
): Promise<Array<{ artifact: string; text: string }>> {
  const client = new DefaultArtifactClient();
  const found = options.findBy ? { findBy: options.findBy } : {};
  const { artifacts } = await client.listArtifacts({ ...(options.latest ? { latest: true } : {}), ...found });
  const files: Array<{ artifact: string; text: string }> = [];
  for (const artifact of artifacts.filter((a) => wanted(a.name))) {
    const path = join(workDir, `artifact-${artifact.id}`);
    await mkdir(path, { recursive: true });
    await client.downloadArtifact(artifact.id, { path, ...found });
    for (const file of await readdir(path)) {
      if (file.endsWith('.json')) files.push({ artifact: artifact.name, text: await readFile(join(path, file), 'utf8') });
    }
  }
  return files;
}
