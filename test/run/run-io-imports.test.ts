import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `RunIo` lives in src/run/run-io.ts and is imported from there alone: re-exported through
 * cli/run-command.ts or run/execute-profile.ts it made two import circles (run-command and
 * paired-run, execute-profile and generator-readings).
 */
const src = join(import.meta.dirname, '../../src');

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

/** Each source file (relative to src/) with the source files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => relative(src, normalize(join(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')))));
    graph.set(relative(src, file), targets);
  }
  return graph;
}

/** Whether `from` reaches `to` through imports. */
function reaches(graph: Map<string, string[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const queue = [...(graph.get(from) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(graph.get(next) ?? []));
  }
  return false;
}

describe('RunIo', () => {
  const graph = importGraph();

  it('is imported from run/run-io.ts alone', () => {
    const elsewhere = sources(src).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/import[^;]*\bRunIo\b[^;]*from '([^']+)'/g)].filter((m) => !(m[1] as string).endsWith('run-io.js')).map((m) => `${relative(src, file)}: ${m[1]}`),
    );
    expect(elsewhere).toEqual([]);
    expect([...graph.values()].filter((targets) => targets.includes('run/run-io.ts')).length).toBeGreaterThan(10);
  });

  it('leaves no file of src/run, and none of the run command, importing itself round a circle', () => {
    const files = [...graph.keys()].filter((file) => file.startsWith('run/') || file === 'cli/run-command.ts' || file === 'cli/paired-run.ts');
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((file) => reaches(graph, file, file))).toEqual([]);
  });

  it('sees a circle (the check itself can fail)', () => {
    const circle = new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['a.ts']]]);
    expect(['a.ts', 'b.ts', 'c.ts'].filter((file) => reaches(circle, file, file))).toEqual(['a.ts', 'b.ts']);
  });
});
