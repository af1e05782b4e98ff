import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BASELINE_SCHEMA, type BaselineBundle } from '../baseline/baseline-bundle.js';
import { parseBundle } from '../baseline/bundle-file.js';
import { fileStore } from '../baseline/file-store.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import { CliError, EXIT } from './cli-error.js';
import type { RunIo } from '../run/run-io.js';

export const BASELINE_HELP = `Usage: tailgate baseline list FILE
       tailgate baseline prune FILE --commit SHA
       tailgate baseline reset FILE

A baseline kept in a file (baseline-storage: file, or tailgate compare --baseline FILE): the last
default-branch runs, oldest first.

list    each run with its commit, date, overall p95 and throughput, and where a segment starts
        (a run that accepted a change of level, or a reset)
prune   removes the runs recorded at a commit (SHA or its first 4+ characters), for a run that
        measured something else (a broken deploy, a busy runner); refuses when none matches or
        when no run would be left
reset   keeps only the newest run, marked as a reset: the next comparisons take both the level
        and, until more runs are recorded, the noise from it and the runs recorded after it

To accept an intended change of level and keep the history's measure of the noise, push the
change with the trailer "Tailgate-Accept: <profile id or all>" in its commit message: the next
default-branch run starts a new segment (docs/action.md, "Where the baseline is kept").`;

const SUBCOMMANDS = ['list', 'prune', 'reset'] as const;

export async function baselineCommand(argv: string[], io: Pick<RunIo, 'stdout' | 'logger'>): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { commit: { type: 'string' } }, strict: true, allowPositionals: true });
  const [sub, file, ...extra] = positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) throw new CliError(`tailgate baseline needs one of ${SUBCOMMANDS.join(', ')} and a FILE, e.g. tailgate baseline list baseline.json`);
  if (file === undefined) throw new CliError(`tailgate baseline ${sub} needs the baseline FILE`);
  if (extra.length > 0) throw new CliError(`tailgate baseline ${sub} takes one FILE (got also ${extra.join(' ')})`);
  if (sub !== 'prune' && values.commit !== undefined) throw new CliError(`--commit is for tailgate baseline prune, not ${sub}`);
  const bundle = await readBundle(file);
  if (sub === 'list') {
    io.stdout.write(`${formatBaselineList(bundle)}\n`);
    return EXIT.pass;
  }
  if (sub === 'prune') {
    const commit = values.commit;
    if (commit === undefined || !/^[0-9a-f]{4,64}$/i.test(commit)) throw new CliError('tailgate baseline prune needs --commit SHA (hexadecimal, 4 characters or more)');
    const kept = pruneCommit(bundle, commit);
    const removed = bundle.runs.length - kept.runs.length;
    if (removed === 0) throw new CliError(`${file} holds no run recorded at commit ${commit} (tailgate baseline list ${file} shows the commits)`);
    if (kept.runs.length === 0) throw new CliError(`pruning commit ${commit} would leave ${file} with no run; use tailgate baseline reset ${file}, or delete the file`);
    await save(file, kept);
    io.logger.info(`removed ${removed} run${removed === 1 ? '' : 's'} recorded at ${commit} from ${file}; ${kept.runs.length} left`);
    return EXIT.pass;
  }
  const reset = resetBundle(bundle);
  await save(file, reset);
  io.logger.info(`reset ${file} to its newest run (${describe(reset.runs[0] as RunRecord)}); ${bundle.runs.length - 1} older run${bundle.runs.length === 2 ? '' : 's'} removed`);
  return EXIT.pass;
}

async function readBundle(file: string): Promise<BaselineBundle> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordError(file, `cannot read the baseline file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check the path');
  }
  return parseBundle(text, file);
}

async function save(file: string, bundle: BaselineBundle): Promise<void> {
  const result = await fileStore(file).save(bundle, { commit: '', runId: '' });
  if (!result.saved) throw new CliError(result.warning);
}

/** The bundle without the runs recorded at `commit` (a full SHA or a prefix). */
export function pruneCommit(bundle: BaselineBundle, commit: string): BaselineBundle {
  const prefix = commit.toLowerCase();
  return { ...bundle, runs: bundle.runs.filter((run) => !(run.meta.commit ?? '').toLowerCase().startsWith(prefix)) };
}

/** The bundle with its newest run alone, marked as a reset. */
export function resetBundle(bundle: BaselineBundle): BaselineBundle {
  const newest = bundle.runs.at(-1);
  if (newest === undefined) throw new CliError('the baseline holds no run to keep');
  return { schema: BASELINE_SCHEMA, profile: { ...bundle.profile }, runs: [{ ...newest, meta: { ...newest.meta, baseline: { newSegment: 'reset' } } }] };
}

/** One line per run, oldest first: its commit, date, overall p95 and throughput, and a segment's start. */
export function formatBaselineList(bundle: BaselineBundle): string {
  const rows = bundle.runs.map((run, i) => {
    const segment = run.meta.baseline?.newSegment;
    const mark = segment === 'accepted' ? 'accepted: a new segment starts' : segment === 'reset' ? 'reset: the history starts here' : '';
    return `${String(i + 1).padStart(3)}  ${(run.meta.commit ?? '-').slice(0, 7).padEnd(7)}  ${run.meta.startedAt.slice(0, 16).replace('T', ' ')}  ${run.summary.overall.p95.toFixed(1).padStart(9)} ms  ${run.summary.overall.rps.toFixed(1).padStart(9)} req/s  ${mark}`.trimEnd();
  });
  const head = `${bundle.profile.id} (profile hash ${bundle.profile.hash.slice(0, 12)}): ${bundle.runs.length} run${bundle.runs.length === 1 ? '' : 's'}, oldest first`;
  return [head, '  #  commit   started (UTC)            p95 overall    throughput', ...rows].join('\n');
}

function describe(run: RunRecord): string {
  return `${run.meta.commit ? `commit ${run.meta.commit.slice(0, 7)}, ` : ''}${run.meta.startedAt}`;
}
