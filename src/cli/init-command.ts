import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { starterFiles } from '../init/starter-files.js';
import { SETUPS, type Setup } from '../init/starter-profile.js';
import { CliError, EXIT } from './cli-error.js';
import type { RunIo } from '../run/run-io.js';

export const INIT_HELP = `Usage: tailgate init [--setup localhost|preview|fork] [--dir DIR]

Writes a commented starter load profile (tailgate.yml) and the GitHub workflow that runs it
(.github/workflows/performance.yml) into DIR (default: the current folder). Never overwrites a
file: if one exists, nothing is written.

  --setup localhost   the workflow starts your server in the job and loads 127.0.0.1:3000 (default)
  --setup preview     the workflow loads each preview deployment (Vercel, Netlify, any deployer)
  --setup fork        like localhost, plus a second workflow that posts the report of pull
                      requests from forks (their own run has a read-only token)
  --dir DIR           the project's root folder

Then: tailgate inspect --config tailgate.yml shows the plan; tailgate run --config tailgate.yml
runs it.`;

export async function initCommand(argv: string[], io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      setup: { type: 'string', default: 'localhost' },
      dir: { type: 'string', default: '.' },
    },
    strict: true,
    allowPositionals: false,
  });
  const setup = values.setup;
  if (!isSetup(setup)) throw new CliError(`--setup must be one of ${SETUPS.join(', ')} (got "${setup}"); e.g. tailgate init --setup localhost`);
  const files = starterFiles(setup).map((f) => ({ ...f, absolute: join(values.dir, f.path) }));
  // All checked before any is written, so a refusal leaves the folder as it was.
  for (const file of files) {
    if (await exists(file.absolute)) {
      throw new CliError(
        `${file.absolute} already exists; tailgate init never overwrites a file and wrote nothing. Move it aside, or pass --dir with another folder`,
      );
    }
  }
  for (const file of files) {
    await mkdir(dirname(file.absolute), { recursive: true });
    try {
      await writeFile(file.absolute, file.text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${file.absolute} appeared while tailgate init was writing; it was left as it is`);
      throw error;
    }
    io.stdout.write(`wrote ${file.absolute}: ${file.what}\n`);
  }
  const profile = relative(process.cwd(), files[0]?.absolute ?? 'tailgate.yml') || 'tailgate.yml';
  const forkNote = setup === 'fork' ? ' (GitHub runs the report workflow only from the default branch)' : '';
  io.stdout.write(
    [
      '',
      'Next: change the steps to your service\'s paths, then',
      `  tailgate inspect --config ${profile}   checks it and shows the plan, without a request`,
      `  tailgate run --config ${profile}       runs it against its target (or --target URL)`,
      `and commit the files${forkNote}.`,
    ].join('\n') + '\n',
  );
  return EXIT.pass;
}

function isSetup(value: string): value is Setup {
  return (SETUPS as readonly string[]).includes(value);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
