import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  BASELINE_STORAGES,
  COMMENT_POLICIES,
  FAIL_ON,
  FORK_VERDICTS,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  MODES,
  parseActionInputs,
  type InputName,
} from '../../src/action/inputs.js';

/**
 * action.yml, the parser and the tables of docs/action.md describe the same inputs and outputs: these
 * tests fail when one of them changes alone.
 */

const root = join(import.meta.dirname, '../..');

interface ActionYml {
  runs: { using: string; main: string };
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const actionYml = parseYaml(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml;
const ymlInputs = Object.keys(actionYml.inputs).sort();
const ymlOutputs = Object.keys(actionYml.outputs).sort();
/** A default like `${{ github.token }}` is filled in by the runner; the parser never sees it as text. */
const isExpression = (value: string): boolean => value.startsWith('${{');

/** The contract of the Action issue: these outputs, no more, no fewer. */
const CONTRACT_OUTPUTS = ['verdict', 'p95-ms', 'baseline-p95-ms', 'p95-change-pct', 'throughput-rps', 'throughput-change-pct', 'paired-with', 'block-pairs', 'detectable-p95-change-pct', 'measured-seconds', 'report', 'comment-url'];

describe('action.yml', () => {
  it('runs the bundle on Node 24 and has branding', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(actionYml.branding.icon).not.toBe('');
    expect(actionYml.branding.color).not.toBe('');
  });

  it('documents every input and output, and requires none (each has a default or a fallback)', () => {
    for (const [name, input] of Object.entries(actionYml.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(20);
      expect(input.required ?? false, name).toBe(false);
    }
    for (const [name, output] of Object.entries(actionYml.outputs)) expect(output.description.length, name).toBeGreaterThan(10);
  });

  it('has exactly the contract outputs', () => {
    expect(ymlOutputs).toEqual([...CONTRACT_OUTPUTS].sort());
  });

  it('names every allowed value of a choice in its description', () => {
    const choices: Partial<Record<InputName, readonly string[]>> = {
      mode: MODES,
      'baseline-storage': BASELINE_STORAGES,
      'fail-on': FAIL_ON,
      comment: COMMENT_POLICIES,
      check: ['true', 'false'],
      'fork-verdict': FORK_VERDICTS,
      fixed: ['true', 'false'],
    };
    for (const [name, allowed] of Object.entries(choices)) {
      for (const value of allowed) expect(actionYml.inputs[name]?.description, `${name}: ${value}`).toMatch(new RegExp(`\\b${value}\\b`));
    }
  });

  it('states each default in the description', () => {
    for (const [name, input] of Object.entries(actionYml.inputs)) {
      expect(input.description, name).toMatch(/default/i);
      if (input.default !== undefined && !isExpression(input.default)) expect(input.description, name).toContain(input.default);
    }
  });
});

describe('parseActionInputs against action.yml', () => {
  it('reads every input of action.yml once, and no other', () => {
    const asked: string[] = [];
    parseActionInputs((name) => {
      asked.push(name);
      return '';
    });
    expect([...asked].sort()).toEqual(ymlInputs);
    expect(new Set(asked).size).toBe(asked.length);
    expect([...INPUT_NAMES].sort()).toEqual(ymlInputs);
  });

  it('applies the same defaults as action.yml', () => {
    const expected: Record<string, string> = {};
    for (const [name, input] of Object.entries(actionYml.inputs)) {
      if (input.default !== undefined && !isExpression(input.default)) expected[name] = String(input.default);
    }
    expect(INPUT_DEFAULTS).toEqual(expected);
  });

  it('means the same with an input left out as with its action.yml default written out', () => {
    const nothing = parseActionInputs(() => '');
    const defaults = Object.entries(actionYml.inputs).filter(([, input]) => input.default !== undefined && !isExpression(input.default));
    expect(defaults.length).toBeGreaterThan(0);
    for (const [name, input] of defaults) {
      expect(parseActionInputs((asked) => (asked === name ? String(input.default) : '')), name).toStrictEqual(nothing);
    }
    const all = Object.fromEntries(defaults.map(([name, input]) => [name, String(input.default)]));
    expect(parseActionInputs((asked) => all[asked] ?? '')).toStrictEqual(nothing);
  });
});

describe('docs/action.md "Inputs and outputs"', () => {
  const page = readFileSync(join(root, 'docs/action.md'), 'utf8');
  const start = page.indexOf('\n## Inputs and outputs\n');
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end === -1 ? undefined : end);

  /** The rows of the table whose header starts with `| first |`, as cells. */
  function table(first: string): string[][] {
    const lines = section.split('\n');
    const header = lines.findIndex((line) => line.startsWith(`| ${first} |`));
    expect(header, `a table headed "| ${first} |"`).toBeGreaterThan(-1);
    const rows: string[][] = [];
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(line.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, '').trim()));
    }
    return rows;
  }
  const name = (cell: string | undefined): string => /^`([^`]+)`$/.exec(cell ?? '')?.[1] ?? `not a name: ${cell}`;

  it('is the page\'s last section, and the README links to it', () => {
    expect(start).toBeGreaterThan(-1);
    expect(end).toBe(-1);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('(docs/action.md#inputs-and-outputs)');
  });

  it('lists exactly the inputs of action.yml, each with its default', () => {
    const rows = table('input');
    expect(rows.map((row) => name(row[0])).sort()).toEqual(ymlInputs);
    for (const row of rows) {
      const input = actionYml.inputs[name(row[0])];
      expect(row, name(row[0])).toHaveLength(3);
      if (input?.default !== undefined) expect(row[1], name(row[0])).toBe(`\`${input.default}\``);
    }
  });

  it('lists exactly the outputs of action.yml', () => {
    const rows = table('output');
    expect(rows.map((row) => name(row[0])).sort()).toEqual(ymlOutputs);
  });
});
