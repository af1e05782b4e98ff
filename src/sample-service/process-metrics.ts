/**
 * The sample service's Prometheus endpoint, written by hand in the text exposition format (no
 * client library is bundled): the two series every Prometheus client exposes for a process, its
 * CPU time (user and system, seconds) and its resident memory (bytes), the ones a profile's
 * `metrics:` scrapes by default.
 */
export interface ProcessReading {
  cpuSeconds: number;
  residentBytes: number;
}

/** This process, now. */
export function readProcess(): ProcessReading {
  const cpu = process.cpuUsage();
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, residentBytes: process.memoryUsage.rss() };
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function processMetricsText(reading: ProcessReading): string {
  return [
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${reading.cpuSeconds}`,
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${reading.residentBytes}`,
    '',
  ].join('\n');
}
