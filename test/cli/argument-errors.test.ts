import { describe, expect, it } from 'vitest';
import { optionsIn } from '../../src/cli/argument-errors.js';
import { main } from '../../src/cli/main.js';
import { RUN_HELP } from '../../src/cli/run-command.js';
import { captureIo } from './cli-io.js';

/**
 * Arguments a command cannot parse: an unknown option is answered with the option most likely
 * meant and the command's usage, exit 2, never the parser's own text. Nothing here loads anything:
 * the arguments are refused before a profile is read.
 */
describe('unknown options and stray arguments', () => {
  it.each<[string[], string]>([
    [['run', '--config', 'tailgate.yml', '--durtion', '5s'], 'unknown option --durtion; did you mean --duration?'],
    [['run', 'http://127.0.0.1:1/', '--durtion=5s'], 'unknown option --durtion; did you mean --duration?'],
    [['run', '--config', 'tailgate.yml', '--baseline', 'https://example.com'], 'unknown option --baseline; did you mean --baseline-target?'],
    [['merge', 'a.json', 'b.json', '--output', 'm.json'], 'unknown option --output; did you mean --out?'],
    [['inspect', '--config', 'tailgate.yml', '--jsn'], 'unknown option --jsn; did you mean --json?'],
    [['run', '--config', 'tailgate.yml', '--colour', 'red'], 'unknown option --colour\n'],
    [['run', '--config', 'tailgate.yml', '-x'], 'unknown option -x\n'],
  ])('%j: %s, then the usage', async (argv, expected) => {
    const io = captureIo();
    expect(await main(argv, io)).toBe(2);
    const log = io.log.join('\n');
    expect(log).toContain(expected);
    expect(log).toContain(`Usage: tailgate ${argv[0]}`);
    expect(log).toContain(`(tailgate ${argv[0]} --help tells more)`);
    expect(log).not.toMatch(/Unknown option|To specify a positional argument/);
  });

  it('a stray argument or an option without its value: the parser\'s sentence, then the usage', async () => {
    const stray = captureIo();
    expect(await main(['inspect', '--config', 'tailgate.yml', 'extra'], stray)).toBe(2);
    expect(stray.log.join('\n')).toMatch(/^error: Unexpected argument 'extra'.*\nUsage: tailgate inspect --config FILE/);
    const missing = captureIo();
    expect(await main(['merge', 'a.json', 'b.json', '--out'], missing)).toBe(2);
    expect(missing.log.join('\n')).toMatch(/Option '--out <value>' argument missing\nUsage: tailgate merge/);
  });

  it('suggests only the options the help lists', () => {
    const options = optionsIn(RUN_HELP);
    expect(options).toEqual(expect.arrayContaining(['config', 'target', 'duration', 'start-at', 'baseline-target', 'pair-order']));
    expect(options).not.toContain('help');
  });
});
