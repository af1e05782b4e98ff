import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** `metrics:` in a profile: the target's Prometheus endpoint, how often to scrape it, which series. */

const BASE = `target: http://127.0.0.1:3000
vus: 1
duration: 2s
journeys: { j: { steps: [{ request: GET / }] } }
`;

const parse = (yaml: string, options: { target?: string; allowedHosts?: string[] } = {}) =>
  parseProfile(BASE + yaml, {
    file: 'tailgate.yml',
    env: {},
    ...(options.target ? { target: options.target } : {}),
    ...(options.allowedHosts ? { targetFromEvent: { source: "the deployment's environment_url", allowedHosts: options.allowedHosts } } : {}),
  });

describe('metrics in a profile', () => {
  it('reads url, interval and series; defaults to every second and the process’s CPU and memory; absent means no scrape', () => {
    expect(parse('metrics: { url: "http://127.0.0.1:9464/metrics" }\n').metrics).toEqual({
      url: 'http://127.0.0.1:9464/metrics',
      intervalMs: 1_000,
      series: ['process_cpu_seconds_total', 'process_resident_memory_bytes'],
    });
    expect(parse('metrics: { url: "http://127.0.0.1:3000/metrics", interval: 2s, series: [nodejs_heap_size_used_bytes, "http:requests_total"] }\n').metrics).toEqual({
      url: 'http://127.0.0.1:3000/metrics',
      intervalMs: 2_000,
      series: ['nodejs_heap_size_used_bytes', 'http:requests_total'],
    });
    expect(parse('').metrics).toBeUndefined();
  });

  it('scrapes only where the load may go: the target’s host on any port, or a host of allowed-hosts', () => {
    expect(parse('metrics: { url: "http://preview.example.com:9090/metrics" }\n', { target: 'https://preview.example.com' }).metrics?.url).toBe('http://preview.example.com:9090/metrics');
    expect(parse('metrics: { url: "http://metrics.internal/m" }\n', { target: 'https://app.example.com', allowedHosts: ['app.example.com', 'metrics.internal'] }).metrics?.url).toBe('http://metrics.internal/m');
    expect(configErrorMessage(() => parse('metrics: { url: "http://169.254.169.254/latest/meta-data" }\n'))).toMatch(
      /tailgate\.yml:5:17 metrics\.url: goes to 169\.254\.169\.254, which is neither the target's host \(127\.0\.0\.1\) nor a host of the allowed-hosts input.*Fix: scrape the target's own host, or allow 169\.254\.169\.254 in the step/,
    );
  });

  it.each([
    ['metrics: { url: "ftp://127.0.0.1/metrics" }\n', /metrics\.url: must be an http or https URL of a Prometheus text-format endpoint \(got "ftp:\/\/127\.0\.0\.1\/metrics"\)\. Fix: write url: http:\/\/127\.0\.0\.1:9464\/metrics/],
    ['metrics: { url: "http://user:pw@127.0.0.1/metrics" }\n', /metrics\.url: must hold no user name or password/],
    ['metrics: { url: "http://127.0.0.1/metrics", interval: 100ms }\n', /metrics\.interval: must be from 250ms to 60s \(got 100ms\)\. Fix: write interval: 1s, or leave it out/],
    ['metrics: { url: "http://127.0.0.1/metrics", series: ["1bad"] }\n', /tailgate\.yml:5:\d+ metrics\.series\[0\]: .*Fix: /],
    ['metrics: { series: [process_cpu_seconds_total] }\n', /metrics\.url: is missing/],
    ['metrics: { url: "http://127.0.0.1/metrics", intervall: 1s }\n', /metrics\.intervall: unknown field "intervall"\. Fix: did you mean interval\?/],
  ])('refuses %j with the file, the field and the fix', (yaml, message) => {
    expect(configErrorMessage(() => parse(yaml))).toMatch(message);
  });
});
