import { Registry, Counter, Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExpositionFormatError, readExposition, seriesKey } from '../../src/run/prometheus-text.js';

/** The parser wrapper on exposition-format text whose values are known. */
describe('readExposition', () => {
  const text = [
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    'process_cpu_seconds_total 12.5',
    '# a comment line that is neither HELP nor TYPE',
    '# TYPE process_resident_memory_bytes gauge',
    'process_resident_memory_bytes 5.24288e+07',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{code="400",method="post"} 3',
    'http_requests_total{code="500",method="post"} NaN',
    '# TYPE queue_depth gauge',
    'queue_depth +Inf',
    'untyped_thing{path="C:\\\\DIR",msg="say \\"hi\\""} -1',
    '# TYPE rpc_seconds histogram',
    'rpc_seconds_bucket{le="0.1"} 2',
    'rpc_seconds_bucket{le="+Inf"} 3',
    'rpc_seconds_sum 0.4',
    'rpc_seconds_count 3',
    '',
  ].join('\n');

  it('keeps each asked series of counters, gauges and untyped metrics, labels sorted into its key', () => {
    const read = readExposition(text, ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'http_requests_total', 'untyped_thing'], 20);
    expect(Object.fromEntries(read.values)).toEqual({
      process_cpu_seconds_total: { type: 'counter', value: 12.5 },
      process_resident_memory_bytes: { type: 'gauge', value: 52_428_800 },
      'http_requests_total{code="200",method="post"}': { type: 'counter', value: 1027 },
      'http_requests_total{code="400",method="post"}': { type: 'counter', value: 3 },
      'untyped_thing{msg="say \\"hi\\"",path="C:\\\\DIR"}': { type: 'untyped', value: -1 },
    });
    expect(read.notFinite).toEqual(['http_requests_total{code="500",method="post"}']);
    expect(read.missing).toEqual([]);
  });

  it('leaves out NaN and ±Inf, names it does not find, histograms, and series beyond the bound', () => {
    const read = readExposition(text, ['queue_depth', 'rpc_seconds', 'not_there', 'http_requests_total'], 1);
    expect([...read.values.keys()]).toEqual(['http_requests_total{code="200",method="post"}']);
    expect(read.notFinite).toEqual(['queue_depth', 'http_requests_total{code="500",method="post"}']);
    expect(read.missing).toEqual(['rpc_seconds', 'not_there']);
    expect(read.dropped).toBe(1);
  });

  it('refuses text that is not the exposition format (an HTML page) with its own error', () => {
    expect(() => readExposition('<html><body>Not found</body></html>\n', ['x'], 20)).toThrow(ExpositionFormatError);
    expect(() => readExposition('garbage {{{ here\n', ['x'], 20)).toThrow(/not Prometheus text format/);
    expect(() => readExposition('{"status":"ok"}\n', ['x'], 20)).toThrow(ExpositionFormatError);
    expect(() => readExposition('hello world\n', ['x'], 20)).toThrow(ExpositionFormatError);
  });

  it('reads what a real client library (prom-client) writes', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'jobs_total', help: 'jobs', labelNames: ['kind'], registers: [registry] });
    const gauge = new Gauge({ name: 'temperature_celsius', help: 'temp', registers: [registry] });
    counter.inc({ kind: 'a' }, 3);
    counter.inc({ kind: 'b' }, 0.5);
    gauge.set(-4.25);
    const read = readExposition(await registry.metrics(), ['jobs_total', 'temperature_celsius'], 20);
    expect(Object.fromEntries(read.values)).toEqual({
      'jobs_total{kind="a"}': { type: 'counter', value: 3 },
      'jobs_total{kind="b"}': { type: 'counter', value: 0.5 },
      temperature_celsius: { type: 'gauge', value: -4.25 },
    });
  });

  it('keys a series without labels by its name alone', () => {
    expect(seriesKey('up', {})).toBe('up');
    expect(seriesKey('up', { b: '2', a: '1' })).toBe('up{a="1",b="2"}');
  });
});

describe('prom-client’s event-loop lag before its first sample', () => {
  // A fresh registry's default metrics: the mean and the standard deviation of no delay yet,
  // which prom-client writes as `Nan` (a clean-clone CI run scraped one this early).
  const text = [
    '# HELP nodejs_eventloop_lag_min_seconds The minimum recorded event loop delay.',
    '# TYPE nodejs_eventloop_lag_min_seconds gauge',
    'nodejs_eventloop_lag_min_seconds 9223372036.854776',
    '# HELP nodejs_eventloop_lag_mean_seconds The mean of the recorded event loop delays.',
    '# TYPE nodejs_eventloop_lag_mean_seconds gauge',
    'nodejs_eventloop_lag_mean_seconds Nan',
    '# HELP nodejs_eventloop_lag_stddev_seconds The standard deviation of the recorded event loop delays.',
    '# TYPE nodejs_eventloop_lag_stddev_seconds gauge',
    'nodejs_eventloop_lag_stddev_seconds Nan',
    '# TYPE queue_seconds gauge',
    'queue_seconds -inf',
    '',
  ].join('\n');

  it('reads `Nan` as NaN: a value that is not finite, left out with that reason, not a name the endpoint lacks', () => {
    const read = readExposition(text, ['nodejs_eventloop_lag_mean_seconds', 'nodejs_eventloop_lag_stddev_seconds', 'nodejs_eventloop_lag_min_seconds', 'queue_seconds'], 20);
    expect(read.missing).toEqual([]);
    expect(read.notFinite).toEqual(['nodejs_eventloop_lag_mean_seconds', 'nodejs_eventloop_lag_stddev_seconds', 'queue_seconds']);
    expect(read.values).toEqual(new Map([['nodejs_eventloop_lag_min_seconds', { type: 'gauge', value: 9223372036.854776 }]]));
  });

  it('reads what a real prom-client registry writes before any delay is sampled the same way', async () => {
    const { collectDefaultMetrics } = await import('prom-client');
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const exposition = await registry.metrics();
    const mean = /^nodejs_eventloop_lag_mean_seconds (\S+)$/m.exec(exposition)?.[1];
    const read = readExposition(exposition, ['nodejs_eventloop_lag_mean_seconds', 'process_cpu_seconds_total'], 20);
    expect(read.missing).toEqual([]);
    expect(read.values.get('process_cpu_seconds_total')?.type).toBe('counter');
    // Sampled or not by now, the mean is read as what prom-client wrote: a number, or NaN left out.
    if (mean === 'Nan') expect(read.notFinite).toEqual(['nodejs_eventloop_lag_mean_seconds']);
    else expect(read.values.get('nodejs_eventloop_lag_mean_seconds')?.value).toBe(Number(mean));
  });
});
