import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { captureIo } from '../cli/cli-io.js';
import { k6Csv, k6Json, syntheticRequests } from './synthetic-runs.js';

/** `tailgate import` as a user meets it: what it writes, and what it says of files it cannot take whole. */
const dir = mkdtempSync(join(tmpdir(), 'tailgate-import-cli-'));
const fixtures = join(import.meta.dirname, '../fixtures/import');
const HOUR = 3_600_000;

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function run(args: string[]): Promise<{ code: number; log: string; out: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, log: io.log.join('\n'), out: io.out() };
}

const readRecord = (file: string): RunRecord => JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
const k6Run = (run: number): string => k6Json(syntheticRequests({ seed: 500 + run, startMs: Date.UTC(2026, 11, 2) + run * HOUR }));

describe('tailgate import', () => {
  it('writes a record and prints its summary, saying the generator was not checked', async () => {
    const out = join(dir, 'shop.run.json');
    const result = await run(['import', join(fixtures, 'k6/shop.json'), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/imported 6 requests of 3 steps from .*shop\.json \(k6\) into .*shop\.run\.json; k6's own load generator was not checked/);
    expect(result.out).toMatch(/profile k6 \(\w{16}\) against http:\/\/127\.0\.0\.1:3000/);
    expect(readRecord(out).meta.source?.tool).toBe('k6');
  });

  it('writes a record the other commands take: report, analyze and baseline', async () => {
    const out = join(dir, 'others.run.json');
    expect((await run(['import', write('others.json', k6Run(7)), '--out', out])).code).toBe(0);
    const html = join(dir, 'others.html');
    const report = await run(['report', '--current', out, '--html', html]);
    expect(report.code, report.log).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<html/);
    const analyze = await run(['analyze', out]);
    expect(analyze.code, analyze.log).toBe(0);
    const baseline = await run(['baseline', 'list', out]);
    expect(baseline.code, baseline.log).not.toBe(2);
  });

  it('skips garbage lines, counts them and names the first, and keeps every request', async () => {
    const lines = k6Run(1).trimEnd().split('\n');
    lines.splice(10, 0, 'this is not k6 output');
    lines.splice(50, 0, '{"type":"Point","data":{"time":"yesterday","value":3,"tags":{"name":"x"}},"metric":"http_req_duration"}');
    lines.splice(90, 0, '{"type":"Sample","metric":"http_req_duration"}');
    const out = join(dir, 'garbage.run.json');
    const result = await run(['import', write('garbage.json', `${lines.join('\n')}\n`), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/skipped 3 malformed lines of \d+ \(line 11: not JSON; line 51: its time is "yesterday", not an RFC 3339 time; line 91: its type is "Sample", neither "Metric" nor "Point"\)/);
    expect(readRecord(out).meta.source?.malformedLines).toBe(3);
    expect(readRecord(out).overall.requests).toBe(syntheticRequests({ seed: 501 }).length);
  });

  it('says a file cut short looks truncated, and compare judges the shorter run inconclusive, not a pass', async () => {
    const baselines = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const out = join(dir, `base-${n}.run.json`);
        expect((await run(['import', write(`base-${n}.json`, k6Run(n)), '--out', out])).code).toBe(0);
        return out;
      }),
    );
    const whole = k6Run(4);
    // Cut 20 characters before the end of a line, as a tool stopped mid-write leaves it.
    const cut = whole.slice(0, whole.indexOf('\n', Math.floor(whole.length * 0.6)) - 20);
    const out = join(dir, 'cut.run.json');
    const result = await run(['import', write('cut.json', cut), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/skipped 1 malformed line of \d+ \(line \d+: not a whole JSON object \(cut short\?\)\)/);
    expect(result.log).toMatch(/the last line \(\d+\) is cut short: the file looks truncated, and a comparison judges only whole runs/);
    const json = join(dir, 'cut.comparison.json');
    const compared = await run(['compare', '--baseline', ...baselines, '--current', out, '--json', json]);
    expect(compared.code).toBe(0);
    const comparison = JSON.parse(readFileSync(json, 'utf8')) as Comparison;
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.incomplete).toBeDefined();
  });

  it('says a file that ends without a newline, its last line whole, may be cut short', async () => {
    const whole = k6Run(1);
    const out = join(dir, 'no-newline.run.json');
    const result = await run(['import', write('no-newline.json', whole.slice(0, whole.lastIndexOf('\n', whole.length - 2))), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/the file ends without a newline after line \d+: it looks truncated/);
  });

  it('refuses a file with a line longer than 1 MiB before holding it', async () => {
    const result = await run(['import', write('long-line.json', `{"type":"Metric","metric":"vus","data":{}}\n{"x":"${'y'.repeat(1_200_000)}"}\n`), '--out', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.log).toMatch(/long-line\.json: it has a line longer than 1 MiB, which no results file of these tools writes\. Fix: import the file as the tool wrote it/);
  });

  it('refuses a file with no request left, saying why', async () => {
    const result = await run(['import', write('all-garbage.json', 'not json\n{"also": "not k6"\n'), '--from', 'k6', '--out', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.log).toMatch(/all-garbage\.json: holds no requests to import; 2 of its 2 lines are malformed \(line 1: not JSON; line 2: not a whole JSON object \(cut short\?\)\)\. Fix: import the file k6 run --out json=results\.json script\.js writes, whole/);
  });

  it.each([
    ['a Locust history', 'locust.csv', '"Timestamp","User Count","Type","Name","Requests/s"\n1,2,GET,/,3\n', /locust\.csv: holds no window with requests to import; .*line 1: not the header of a Locust --csv-full-history file/],
    ['a JMeter XML JTL', 'results.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n', /results\.xml: this looks like a JMeter JTL in XML \(tailgate reads the CSV form: jmeter\.save\.saveservice\.output_format=csv\)/],
    ['a header-less JTL', 'bare.jtl', '1796029200000,12,list products,200,OK,shop 1-1,text,true,988\n', /bare\.jtl: this looks like a JMeter JTL CSV without its header line \(save it with jmeter\.save\.saveservice\.print_field_names=true\)/],
    ['a tailgate run record', 'run.json', '{\n "schema": "tailgate.run/v1",\n "meta": {}\n}\n', /run\.json: this looks like a tailgate run record already \(compare it as it is\)/],
    ['an empty file', 'empty.json', '', /empty\.json: this looks like an empty file/],
  ])('refuses %s with what it looks like', async (_what, name, text, message) => {
    const result = await run(['import', write(name, text), '--out', join(dir, 'refused.json')]);
    expect(result.code).toBe(2);
    expect(result.log).toMatch(message);
  });

  it('imports a real Locust --csv-full-history file, told by its header', async () => {
    const result = await run(['import', join(fixtures, 'locust/shop_stats_history.csv'), '--out', join(dir, 'locust.json')]);
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/shop_stats_history\.csv \(locust\)/);
  });

  it('refuses --from of another format than the file is', async () => {
    const result = await run(['import', join(fixtures, 'jmeter/shop-5.jtl'), '--from', 'k6', '--out', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.log).toMatch(/shop-5\.jtl: this looks like a JMeter JTL CSV, not k6 --out json\. Fix: pass --from jmeter, or leave --from out/);
  });

  it.each([
    [['import'], /tailgate import needs the results FILE/],
    [['import', 'a.json'], /tailgate import needs --out FILE/],
    [['import', 'a.json', 'b.json', '--out', 'x.json'], /reads one file at a time/],
    [['import', 'a.json', '--from', 'wrk', '--out', 'x.json'], /--from must be k6, k6-csv, jmeter, gatling, locust, artillery \(got "wrk"\)/],
    [['import', 'a.json', '--warmup', '5', '--out', 'x.json'], /--warmup must be/],
    [['import', join(dir, 'missing.json'), '--out', 'x.json'], /missing\.json: cannot read it \(ENOENT\)\. Fix: check the path/],
  ])('refuses %j with the fix', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.log).toMatch(message);
  });

  it('is in the help', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/import {3}k6 or JMeter results as a run record/);
  });
});

describe.each([
  ['k6 --out csv', 'csv', (): string => k6Csv(syntheticRequests({ seed: 9, seconds: 5 })), /\d+ fields where the header has 19 \(cut short\?\)/],
  ['JMeter JTL CSV', 'jtl', (): string => readFileSync(join(fixtures, 'jmeter/shop-2.13.jtl'), 'utf8'), /\d+ fields where the header has 13/],
])('%s cut short or with garbage lines', (_name, ext, text, fewFields) => {
  it('skips garbage lines, counting and naming them', async () => {
    const lines = text().trimEnd().split('\n');
    const requests = lines.length - 1;
    lines.splice(20, 0, 'garbage', 'oops,not,a,row');
    const result = await run(['import', write(`garbage.${ext}`, `${lines.join('\n')}\n`), '--out', join(dir, `garbage-${ext}.run.json`)]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/skipped 2 malformed lines of \d+ \(line 21: \d+ fields? where the header has \d+.*; line 22: 4 fields where the header has \d+/);
    if (ext === 'jtl') expect(readRecord(join(dir, `garbage-${ext}.run.json`)).overall.requests).toBe(requests);
  });

  it('says the last line is cut short', async () => {
    const whole = text();
    const cut = whole.slice(0, whole.indexOf('\n', Math.floor(whole.length * 0.6)) - 40);
    const result = await run(['import', write(`cut.${ext}`, cut), '--out', join(dir, `cut-${ext}.run.json`)]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(fewFields);
    expect(result.log).toMatch(/the last line \(\d+\) is cut short: the file looks truncated/);
  });
});

describe('tailgate compare given another tool\'s results', () => {
  it.each([
    ['k6 --out json', 'k6.json', (): string => k6Run(1)],
    ['k6 --out csv', 'k6.csv', (): string => k6Csv(syntheticRequests({ seed: 1, seconds: 2 }))],
    ['a JMeter JTL CSV', 'jmeter.jtl', (): string => readFileSync(join(fixtures, 'jmeter/shop-5.jtl'), 'utf8')],
  ])('says a file of %s is one, and to convert it with tailgate import', async (what, name, text) => {
    const file = write(name, text());
    const result = await run(['compare', '--baseline', file, '--current', file]);
    expect(result.code).toBe(2);
    expect(result.log).toContain(`${file}: this looks like ${what}, not a tailgate run record. Fix: convert it with tailgate import ${file} --out run.json, then pass run.json`);
    expect(result.log).not.toMatch(/re-run/);
  });
});
