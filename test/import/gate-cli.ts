import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { captureIo } from '../cli/cli-io.js';

/** Writes `text` as `name` in `dir` and imports it with the CLI (profile `shop`); the record's path. */
export async function importWithCli(dir: string, name: string, text: string, warmup?: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const out = `${file}.run.json`;
  const io = captureIo();
  const code = await main(['import', file, '--out', out, '--profile', 'shop', ...(warmup ? ['--warmup', warmup] : [])], io);
  expect(code, io.log.join('\n')).toBe(0);
  return out;
}

/** `tailgate compare` of imported records: its exit code, its JSON and what it printed. */
export async function compareWithCli(baselines: string[], current: string): Promise<{ code: number; comparison: Comparison; out: string }> {
  const json = `${current}.comparison.json`;
  const io = captureIo();
  const code = await main(['compare', '--baseline', ...baselines, '--current', current, '--json', json], io);
  return { code, comparison: JSON.parse(readFileSync(json, 'utf8')) as Comparison, out: io.out() };
}
