import { streamLogger } from '../logging.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT } from './cli-error.js';
import { UserError } from '../user-error.js';
import { argumentErrorMessage } from './argument-errors.js';
import { COMPARE_HELP, compareCommand } from './compare-command.js';
import { DEMO_HELP, demoCommand } from './demo-command.js';
import { IMPORT_HELP, importCommand } from './import-command.js';
import { INIT_HELP, initCommand } from './init-command.js';
import { INSPECT_HELP, inspectCommand } from './inspect-command.js';
import { MERGE_HELP, mergeCommand } from './merge-command.js';
import { REPORT_HELP, reportCommand } from './report-command.js';
import { RUN_HELP, runCommand } from './run-command.js';
import type { RunIo } from '../run/run-io.js';
import { CALIBRATE_HELP, calibrateCommand, VALIDATE_RENAMED } from './calibrate-command.js';
import { BASELINE_HELP, baselineCommand } from './baseline-command.js';
import { ANALYZE_HELP, analyzeCommand } from './analyze-command.js';

const HELP = `tailgate ${TOOL_VERSION}: gate pull requests on HTTP performance

Usage: tailgate <command> [options]

Commands:
  init     write a starter profile and its workflow  tailgate init --setup localhost
  inspect  check a profile, show its plan, no load   tailgate inspect --config tailgate.yml
  run      run a load profile and record it          tailgate run --config tailgate.yml --out run.json
           or one GET of a URL, no file              tailgate run http://127.0.0.1:3000/ --vus 10 --duration 30s
  compare  judge a run against its baseline          tailgate compare --baseline base.json --current run.json
  report   the HTML page from records written        tailgate report --current run.json --html report.html
  analyze  breaking point, recovery, slow burn       tailgate analyze run.json --config tailgate.yml
  merge    merge shard records exactly               tailgate merge a.json b.json --out all.json
  import   k6 or JMeter results as a run record      tailgate import results.json --out run.json
  baseline list, prune or reset a baseline file      tailgate baseline list baseline.json
  demo     the whole story against a bundled service tailgate demo
  calibrate the gate's own A/A and A/B experiment    tailgate calibrate --synthetic

tailgate <command> --help tells more. Exit codes: 0 pass, 1 gate failed, 2 could not run.`;

const COMMANDS: Record<string, { help: string; run: (argv: string[], io: RunIo) => Promise<number> }> = {
  init: { help: INIT_HELP, run: initCommand },
  inspect: { help: INSPECT_HELP, run: inspectCommand },
  run: { help: RUN_HELP, run: runCommand },
  compare: { help: COMPARE_HELP, run: compareCommand },
  report: { help: REPORT_HELP, run: reportCommand },
  analyze: { help: ANALYZE_HELP, run: analyzeCommand },
  merge: { help: MERGE_HELP, run: mergeCommand },
  import: { help: IMPORT_HELP, run: importCommand },
  baseline: { help: BASELINE_HELP, run: baselineCommand },
  demo: { help: DEMO_HELP, run: demoCommand },
  calibrate: { help: CALIBRATE_HELP, run: calibrateCommand },
  validate: {
    help: VALIDATE_RENAMED,
    run: async (_argv, io) => {
      io.logger.error(VALIDATE_RENAMED);
      return EXIT.couldNotRun;
    },
  },
};

/** The CLI: parses the command, runs it, turns user errors into messages and exit code 2. */
export async function main(argv: string[], io: RunIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${HELP}\n`);
    return name === undefined ? EXIT.couldNotRun : EXIT.pass;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.pass;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.logger.error(`unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')} (tailgate --help)`);
    return EXIT.couldNotRun;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.help}\n`);
    return EXIT.pass;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.logger.error(error.message);
      return EXIT.couldNotRun;
    }
    const argumentError = argumentErrorMessage(error, name, command.help);
    if (argumentError !== undefined) {
      io.logger.error(argumentError);
      return EXIT.couldNotRun;
    }
    // A bug, not a user error: show the stack so it can be reported.
    io.logger.error(`unexpected failure, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.couldNotRun;
  }
}

function processIo(): RunIo {
  return {
    env: process.env,
    logger: streamLogger(process.stderr),
    stdout: process.stdout,
    stderr: process.stderr,
    isTty: process.stderr.isTTY === true,
    ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
  };
}
