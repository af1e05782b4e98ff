import { parseProfile } from '../../src/config/load-profile.js';
import type { RunRecord, RunnerFingerprint } from '../../src/record/run-record-types.js';
import { executeProfile } from '../../src/run/execute-profile.js';
import { captureIo } from '../cli/cli-io.js';
import type { CpuBurningTarget } from '../helpers/cpu-burning-target.js';

/** A short steady run against a CPU-burning loopback target, its metrics scraped every 250 ms (the record keeps the last scrape of each block). */
const PROFILE = (seconds: number): string => `name: target-cpu
target: \${TARGET_URL}
warmup: 500ms
block: 1s
metrics: { url: "\${TARGET_URL}/metrics", interval: 250ms }
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: 200
    duration: ${seconds}s
    preAllocatedVUs: 4
journeys:
  one:
    steps:
      - name: work
        request: GET /work
`;

const FINGERPRINT: RunnerFingerprint = { cpuModel: 'Test CPU', logicalCores: 2, totalMemoryBytes: 8_000_000_000 };

export async function cpuRun(target: CpuBurningTarget, burnMs: number, seconds = 4): Promise<RunRecord> {
  target.setBurnMs(burnMs);
  const env = { TARGET_URL: target.url };
  const profile = parseProfile(PROFILE(seconds), { file: 'tailgate.yml', env });
  return executeProfile(profile, captureIo(env), { quiet: true, fingerprint: () => FINGERPRINT });
}
