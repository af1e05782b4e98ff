/**
 * Azurite, Microsoft's Azure Storage emulator, as the blob store behind the fake Actions
 * services: a child process on 127.0.0.1 (random port, its data in a temporary folder, telemetry
 * off), and SAS URLs signed with the emulator's well-known account key, so the real
 * `@azure/storage-blob` code in `@actions/cache` and `@actions/artifact` uploads and downloads
 * exactly as it does against GitHub's storage. The child ends when its stdin closes, so it never
 * outlives the test process even when that one dies.
 */
import { BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The emulator's fixed development account (public, documented by Microsoft). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface BlobInfo {
  size: number;
  contentType: string | undefined;
}

export interface AzuriteBlobs {
  /** The blob service endpoint, `http://127.0.0.1:<port>/devstoreaccount1`. */
  endpoint: string;
  createContainer(container: string): Promise<void>;
  /** A SAS URL that may create and write one blob (what the services hand out for uploads). */
  uploadUrl(container: string, blob: string, validMinutes?: number): string;
  /** A SAS URL that may read one blob. */
  downloadUrl(container: string, blob: string, validMinutes?: number): string;
  /** The blob's size and content type, or undefined when it does not exist. */
  blobInfo(container: string, blob: string): Promise<BlobInfo | undefined>;
  deleteBlob(container: string, blob: string): Promise<void>;
  close(): Promise<void>;
}

/** The node script that runs Azurite's blob service and exits when its stdin closes. */
const BOOTSTRAP = `
const main = process.argv[1];
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.argv = [process.argv[0], main, ...process.argv.slice(2)];
require(main);
`;

export async function startAzurite(options: { startTimeoutMs?: number } = {}): Promise<AzuriteBlobs> {
  const main = join(dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist/src/blob/main.js');
  const location = mkdtempSync(join(tmpdir(), 'tailgate-azurite-'));
  const args = ['--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--skipApiVersionCheck', '--silent', '--disableTelemetry'];
  const child = spawn(process.execPath, ['-e', BOOTSTRAP, main, ...args], { cwd: location, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  let started = (): void => {};
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 20_000} ms:\n${output}`)), options.startTimeoutMs ?? 20_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const onExit = (code: number | null): void => fail(new Error(`Azurite exited (code ${code}) before it listened:\n${output}`));
    child.once('exit', onExit);
    child.once('error', fail);
    started = () => {
      child.off('exit', onExit);
      child.off('error', fail);
    };
  });
  started();
  // Keep draining its output so the pipe never fills; the child must not block on a write.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  child.stdin.on('error', () => {});
  child.on('error', () => {});

  const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);
  // The fake's own bookkeeping (does the blob exist, how big is it) opens a new connection per
  // call: Azurite closes idle connections after 5 s, and a call that picks up such a connection
  // as it closes is reset (read ECONNRESET), which would show as a crash of the fake rather than
  // anything the code under test did. A reset read is also tried once more.
  const service = new BlobServiceClient(endpoint, credential, { keepAliveOptions: { enable: false }, retryOptions: { maxTries: 2, retryDelayInMs: 50 } });

  const sasUrl = (container: string, blob: string, permissions: string, validMinutes: number): string => {
    const query = generateBlobSASQueryParameters(
      { containerName: container, blobName: blob, permissions: BlobSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + validMinutes * 60_000) },
      credential,
    ).toString();
    return `${endpoint}/${container}/${blob.split('/').map(encodeURIComponent).join('/')}?${query}`;
  };

  return {
    endpoint,
    async createContainer(container) {
      await service.getContainerClient(container).createIfNotExists();
    },
    uploadUrl: (container, blob, validMinutes = 60) => sasUrl(container, blob, 'cw', validMinutes),
    downloadUrl: (container, blob, validMinutes = 60) => sasUrl(container, blob, 'r', validMinutes),
    async blobInfo(container, blob) {
      const client = service.getContainerClient(container).getBlobClient(blob);
      if (!(await client.exists())) return undefined;
      const properties = await client.getProperties();
      return { size: properties.contentLength ?? 0, contentType: properties.contentType };
    },
    async deleteBlob(container, blob) {
      await service.getContainerClient(container).getBlobClient(blob).deleteIfExists();
    },
    async close() {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
      rmSync(location, { recursive: true, force: true });
    },
  };
}
