import { parseArgs } from 'node:util';

export const BENCH_HELP = `Usage: npm run bench -- [options]

Measures tailgate's load engine against autocannon (and wrk, where installed) on the same
loopback target(s), interleaved, and prints medians and ratios. Results: .bench/results.json.

  --duration SECONDS     length of each generator run (default 10)
  --reps N               interleaved repetitions (default 3)
  --connections N        connections / VUs of every generator (default 50)
  --targets LIST         node, node-st (node with a Server-Timing header), nginx, comma-separated
                         (default: node and node-st, plus nginx when installed)
  --memory-requests N    requests the long memory run aims for (default 1500000, at least 1000000)
  --memory-cap SECONDS   longest the long memory run may last (default 120)
  --skip-memory          skip the memory test
  --before FILE          also run an earlier build of tailgate (its dist/cli.js) as the generator
                         tailgate-before, interleaved: tailgate/tailgate-before is the engine's
                         speed against that build in the same run
  --only LIST            run only these generators, comma-separated (e.g. tailgate,tailgate-before)
  --install              first run apt-get update && apt-get install -y wrk nginx
  --help                 this text`;

/** A bad flag: says which one and how to write it. */
export class BenchOptionError extends Error {
  constructor(flag, message, fix) {
    super(`${flag}: ${message}; ${fix} (npm run bench -- --help)`);
    this.name = 'BenchOptionError';
  }
}

/**
 * The flags, parsed once into a plain options object. Numbers are checked, never coerced: a typo
 * is an error, not the default.
 */
export function parseBenchOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      reps: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      targets: { type: 'string' },
      'memory-requests': { type: 'string', default: '1500000' },
      'memory-cap': { type: 'string', default: '120' },
      'skip-memory': { type: 'boolean', default: false },
      before: { type: 'string' },
      only: { type: 'string' },
      install: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const targets = values.targets === undefined ? undefined : parseTargets(values.targets);
  return {
    help: values.help,
    durationS: wholeNumber('--duration', values.duration.replace(/s$/, ''), 1, 600, 'give seconds, e.g. --duration 10'),
    reps: wholeNumber('--reps', values.reps, 1, 20, 'e.g. --reps 3'),
    connections: wholeNumber('--connections', values.connections, 1, 1000, 'e.g. --connections 50'),
    targets,
    memoryRequests: wholeNumber('--memory-requests', values['memory-requests'], 1_000_000, 100_000_000, 'e.g. --memory-requests 1500000'),
    memoryCapS: wholeNumber('--memory-cap', values['memory-cap'].replace(/s$/, ''), 10, 3600, 'give seconds, e.g. --memory-cap 120'),
    skipMemory: values['skip-memory'],
    before: values.before,
    only: values.only === undefined ? undefined : parseOnly(values.only),
    install: values.install,
  };
}

function wholeNumber(flag, text, min, max, fix) {
  if (!/^\d+$/.test(text)) throw new BenchOptionError(flag, `"${text}" is not a whole number`, fix);
  const value = Number(text);
  if (value < min || value > max) throw new BenchOptionError(flag, `${value} is outside ${min}..${max}`, fix);
  return value;
}

const GENERATOR_NAMES = ['tailgate', 'tailgate-before', 'autocannon', 'undici-floor', 'wrk'];

function parseOnly(text) {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = names.filter((n) => !GENERATOR_NAMES.includes(n));
  if (names.length === 0 || unknown.length > 0) throw new BenchOptionError('--only', `unknown generator "${unknown[0] ?? text}"`, `use ${GENERATOR_NAMES.join(', ')}, comma-separated`);
  if (!names.includes('tailgate')) throw new BenchOptionError('--only', 'leaves out tailgate, which every ratio compares', 'keep tailgate in the list');
  return [...new Set(names)];
}

const TARGET_KINDS = ['node', 'node-st', 'nginx'];

function parseTargets(text) {
  const kinds = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = kinds.filter((k) => !TARGET_KINDS.includes(k));
  if (kinds.length === 0 || unknown.length > 0) {
    throw new BenchOptionError('--targets', `unknown target "${unknown[0] ?? text}"`, `use ${TARGET_KINDS.join(', ')}, comma-separated`);
  }
  return [...new Set(kinds)];
}
