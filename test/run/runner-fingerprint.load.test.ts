import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunnerFingerprint } from '../../src/record/run-record-types.js';
import { executeProfile } from '../../src/run/execute-profile.js';
import { captureIo } from '../cli/cli-io.js';

const PROFILE = `name: fingerprinted
target: \${TARGET_URL}
warmup: 0s
block: 1s
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: 20
    duration: 1s
    preAllocatedVUs: 2
journeys:
  one:
    steps:
      - name: home
        request: GET /
`;

describe('a run records the runner it measured on', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_, res) => {
      requests++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes the fingerprint before the load and keeps it in meta.runnerFingerprint', async () => {
    const given: RunnerFingerprint = { cpuModel: 'Test CPU', logicalCores: 4, totalMemoryBytes: 16_000_000_000, probe: { opsPerMicrosecond: 512.5, repeats: 7 } };
    let requestsWhenTaken = -1;
    const profile = parseProfile(PROFILE, { file: 'p.yml', env: { TARGET_URL: url } });
    const record = await executeProfile(profile, captureIo({ TARGET_URL: url }), {
      quiet: true,
      fingerprint: () => {
        requestsWhenTaken = requests;
        return given;
      },
    });
    expect(requestsWhenTaken).toBe(0);
    expect(record.overall.requests).toBeGreaterThan(0);
    expect(record.meta.runnerFingerprint).toEqual(given);
    expect(parseRunRecord(JSON.stringify(record), 'run.json').meta.runnerFingerprint).toEqual(given);
  }, 20_000);
});
