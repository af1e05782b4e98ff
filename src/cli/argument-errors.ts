import { closest } from '../config/did-you-mean.js';

/**
 * What the CLI says when a command's arguments do not parse (node:util parseArgs's
 * ERR_PARSE_ARGS_* errors): an unknown option with the option the user most likely meant, taken
 * from the options the command's help lists, then the command's usage. One place for every
 * command, so none of them prints the parser's raw text.
 */
export function argumentErrorMessage(error: unknown, command: string, help: string): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  const usage = `${usageOf(help)}\n(tailgate ${command} --help tells more)`;
  const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(message)?.[1] : undefined;
  if (unknown !== undefined) {
    const meant = unknown.startsWith('--') ? closest(unknown.slice(2), optionsIn(help)) : undefined;
    return `unknown option ${unknown}${meant === undefined ? '' : `; did you mean --${meant}?`}\n${usage}`;
  }
  // An argument where none is taken, an option without its value: the parser's sentence is clear.
  return `${message.replace(/\.? To specify a positional argument.*$/s, '')}\n${usage}`;
}

/** The options a help text lists (`--config FILE` gives `config`), in the order it lists them. */
export function optionsIn(help: string): string[] {
  return [...new Set([...help.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((match) => match[1] as string))].filter((name) => name !== 'help');
}

/** The help's first paragraph: its `Usage:` lines. */
function usageOf(help: string): string {
  return help.split(/\n\s*\n/)[0] ?? help;
}
