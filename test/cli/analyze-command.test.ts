import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisProblem } from '../../src/analyze/analysis-schema.js';
import { main } from '../../src/cli/main.js';
import { soak, staircase } from '../analyze/shaped-records.js';
import { captureIo } from './cli-io.js';

/**
 * `tailgate analyze` on records of known shape (shaped-records.ts): a soak whose p95 climbs 60%
 * over its minute, a flat one, and an arrival-rate staircase that a target of 150 requests a
 * second stops keeping up with at its third level.
 */

const dir = mkdtempSync(join(tmpdir(), 'tailgate-analyze-'));
function write(name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

async function analyze(argv: string[]): Promise<{ code: number; out: string; log: string }> {
  const io = captureIo();
  const code = await main(['analyze', ...argv], io);
  return { code, out: io.out(), log: io.log.join('\n') };
}

describe('tailgate analyze', () => {
  it('finds the slow burn of a soak whose p95 climbs 60% in a minute, and writes the analysis and its markdown', async () => {
    const run = write('soak.json', soak(12, (i) => 20 * 1.6 ** (i / 11)));
    const json = join(dir, 'soak-analysis.json');
    const markdown = join(dir, 'soak-analysis.md');
    const { code, out } = await analyze([run, '--json', json, '--markdown', markdown]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Slow burn: p95 grows \+\d+% a minute/);
    const analysis = JSON.parse(readFileSync(json, 'utf8')) as { shape: string; trend: { significant: boolean; p95PctPerMinute: { low: number } } };
    expect(analysisProblem(analysis)).toBeUndefined();
    expect(analysis.shape).toBe('steady');
    expect(analysis.trend.significant).toBe(true);
    expect(analysis.trend.p95PctPerMinute.low).toBeGreaterThan(0);
    expect(readFileSync(markdown, 'utf8')).toContain('- Slow burn: p95 grows');
  });

  it('finds no slow burn in a flat soak', async () => {
    const { code, out } = await analyze([write('flat.json', soak(12, () => 20))]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Slow burn: no significant growth/);
  });

  it('says why a steady run too short for a trend gets no answer', async () => {
    const { out } = await analyze([write('short.json', soak(4, () => 20))]);
    expect(out).toContain('The slow burn needs at least 8 blocks');
  });

  it("finds the breaking point of a staircase and, with the profile's threshold and capacity plan, the instances a load needs", async () => {
    const run = write('stress.json', staircase());
    const config = write(
      'stress.yml',
      ['name: stress', 'target: http://127.0.0.1:9', 'vus: 5', 'duration: 15s', 'thresholds:', '  http_req_duration: ["p(95)<100"]', 'capacity: { target: 1000, unit: rps, headroom: 25% }', 'journeys:', '  home:', '    steps:', '      - { name: home, request: GET / }', ''].join('\n'),
    );
    const json = join(dir, 'stress-analysis.json');
    const { code, out, log } = await analyze([run, '--config', config, '--json', json]);
    expect(log).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^Breaking point: sustains 150 req\/s/m);
    expect(out).toMatch(/^Capacity plan: 1,000 req\/s with 25% headroom needs 9 instances/m);
    const analysis = JSON.parse(readFileSync(json, 'utf8')) as { shape: string; capacity: { sustainableRps: { estimate: number }; atLeast: boolean } };
    expect(analysisProblem(analysis)).toBeUndefined();
    expect(analysis.shape).toBe('rising');
    expect(analysis.capacity.atLeast).toBe(false);
    expect(analysis.capacity.sustainableRps.estimate).toBeCloseTo(150, -1);
  });

  it('needs exactly one run record', async () => {
    const { code, log } = await analyze([]);
    expect(code).toBe(2);
    expect(log).toContain('tailgate analyze needs one run record');
  });
});
