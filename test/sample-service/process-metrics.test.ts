import { afterEach, describe, expect, it } from 'vitest';
import { readExposition } from '../../src/run/prometheus-text.js';
import { processMetricsText } from '../../src/sample-service/process-metrics.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';

/** The sample service's `/metrics`: the process's CPU time and resident memory, read back as a scrape reads them. */
let service: SampleService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('the sample service’s Prometheus endpoint', () => {
  it('serves the CPU counter and resident memory in the text format, as the scrape reads them', async () => {
    service = await startSampleService({ readProcess: () => ({ cpuSeconds: 12.345678, residentBytes: 73_400_320 }) });
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const read = readExposition(await response.text(), ['process_cpu_seconds_total', 'process_resident_memory_bytes'], 20);
    expect(read).toEqual({
      values: new Map([
        ['process_cpu_seconds_total', { type: 'counter', value: 12.345678 }],
        ['process_resident_memory_bytes', { type: 'gauge', value: 73_400_320 }],
      ]),
      missing: [],
      notFinite: [],
      dropped: 0,
    });
  });

  it('by default reports this process: CPU time that only grows and memory that is real', async () => {
    service = await startSampleService();
    const scrape = async () => readExposition(await (await fetch(`${(service as SampleService).url}/metrics`)).text(), ['process_cpu_seconds_total', 'process_resident_memory_bytes'], 20).values;
    const first = await scrape();
    let x = 0;
    for (let i = 0; i < 2_000_000; i++) x += i % 7;
    const second = await scrape();
    expect(x).toBeGreaterThan(0);
    expect(second.get('process_cpu_seconds_total')?.value).toBeGreaterThan(first.get('process_cpu_seconds_total')?.value as number);
    expect(second.get('process_resident_memory_bytes')?.value).toBeGreaterThan(10_000_000);
  });

  it('writes each series with its HELP and TYPE lines', () => {
    expect(processMetricsText({ cpuSeconds: 1.5, residentBytes: 2048 })).toBe(
      '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.5\n# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 2048\n',
    );
  });
});
