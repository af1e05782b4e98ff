import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/import/detect-format.js';

/** The format of a results file, from its first lines: a table of what each tool writes first. */
describe('detectFormat', () => {
  it.each([
    ['k6 JSON, a Metric line first', ['{"type":"Metric","data":{"type":"gauge","contains":"default"},"metric":"vus"}'], 'k6'],
    ['k6 JSON, a Point line first, metric before type', ['{"metric":"vus","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1}}'], 'k6'],
    ['k6 CSV', ['metric_name,timestamp,metric_value,check,error,error_code,group,method,name,proto,scenario,status,subproto,tls_version,url,extra_tags'], 'k6-csv'],
    ['k6 CSV behind a byte-order mark', ['\uFEFFmetric_name,timestamp,metric_value'], 'k6-csv'],
    ['JMeter 2 columns', ['timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,URL,Latency'], 'jmeter'],
    ['JMeter 5 columns, quoted', ['"timeStamp","elapsed","label","responseCode","success"'], 'jmeter'],
    ['blank lines before the header', ['', '   ', 'timeStamp,elapsed,label'], 'jmeter'],
    ["Gatling's text simulation.log", ['RUN\tsim\tsim\t1700000000000\t \t3.9.5'], 'gatling'],
    ["Gatling's text simulation.log, an assertion first", ['ASSERTION\tAQID', 'RUN\tsim\tsim\t1700000000000\t \t3.9.5'], 'gatling'],
    ['an Artillery report', ['{', '  "aggregate": {', '    "counters": {'], 'artillery'],
  ])('reads %s', (_what, lines, format) => {
    expect(detectFormat(lines).format).toBe(format);
  });

  it.each([
    ['nothing', [], 'an empty file'],
    ['a tailgate run record', ['{', '  "schema": "tailgate.run/v1",'], 'a tailgate run record already'],
    ['a paired record on one line', ['{"schema":"tailgate.paired/v1"}'], 'a tailgate record already (tailgate.paired/v1)'],
    ['JSON of another kind', ['{"hello":"world"}'], 'JSON of another kind, not k6 --out json'],
    ['Locust stats.csv', ['Type,Name,Request Count,Failure Count'], "Locust's --csv summary"],
    ['a header-less JTL', ['1700000000000,12,home,200,OK,tg 1-1,text,true'], 'without its header line'],
    ['plain text', ['hello'], 'it begins "hello"'],
    ["Gatling 3.12's binary simulation.log", ['\u0000\u0000\u0000\u00063.12.1\u0000\u0013shop.ShopSimulation'], 'the binary simulation.log of Gatling 3.12 or later'],
    ['another binary file', ['\u0000\u0001\u0002PK'], 'a binary file, not text'],
  ])('names %s for what it is', (_what, lines, looksLike) => {
    const detected = detectFormat(lines);
    expect(detected.format).toBeUndefined();
    expect(detected.looksLike).toContain(looksLike);
  });
});
