import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from './cli-io.js';

/** The README's command list (the code block under "## The command line"), as a reader finds it. */
function readmeCommandList(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## The command line'));
  const block = /```\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no code block under "## The command line"');
  return block[1] as string;
}

async function printed(argv: string[]): Promise<string> {
  const io = captureIo();
  expect(await main(argv, io)).toBe(0);
  return io.out();
}

/** The commands `tailgate --help` lists, by name. */
async function helpCommands(): Promise<string[]> {
  const help = await printed(['--help']);
  const list = help.slice(help.indexOf('Commands:\n') + 'Commands:\n'.length).split('\n\n')[0] as string;
  return list.split('\n').flatMap((line) => /^ {2}([a-z]+) /.exec(line)?.[1] ?? []);
}

describe("the README's command list", () => {
  it('holds every command tailgate --help lists', async () => {
    const commands = await helpCommands();
    expect(commands).toEqual(expect.arrayContaining(['init', 'run', 'compare', 'report', 'merge', 'demo']));
    const list = readmeCommandList();
    expect(commands.filter((command) => !new RegExp(`^tailgate ${command}\\b`, 'm').test(list))).toEqual([]);
  });

  // calibrate, the gate's own experiment, has many knobs: the README shows its three forms and
  // points to docs/gate.md and tailgate calibrate --help for the rest.
  it("holds every option of each command's help, calibrate's knobs aside", async () => {
    const list = readmeCommandList();
    const missing: string[] = [];
    for (const command of (await helpCommands()).filter((name) => name !== 'calibrate')) {
      const help = await printed([command, '--help']);
      // Its usage lines and the options it lists (a line that starts with one), not other commands' options its prose names.
      const usage = [help.split('\n\n')[0], ...help.split('\n').filter((line) => /^ {2,4}--[a-z]/.test(line)).map((line) => /--[a-z][a-z-]*/.exec(line)?.[0])].join('\n');
      const lines = list.split('\n').filter((line, i, all) => line.startsWith(`tailgate ${command}`) || (line.startsWith(' ') && all.slice(0, i).reverse().find((l) => !l.startsWith(' '))?.startsWith(`tailgate ${command}`)));
      for (const option of new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])) if (!lines.some((line) => line.includes(option))) missing.push(`${command} ${option}`);
    }
    expect(missing).toEqual([]);
  });
});
