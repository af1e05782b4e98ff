import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The flow goes one way (DESIGN.md: config -> plan -> engine -> recorder -> record -> baseline ->
 * compare -> reporters): the profile's modules and the plan import nothing from what runs,
 * records or judges the load, so they stay plain data in, plain data out.
 */
const src = join(import.meta.dirname, '../../src');
const DOWNSTREAM = ['engine', 'run', 'record', 'baseline', 'compare', 'report', 'action', 'cli', 'github', 'validate', 'demo', 'sample-service'];

/** The modules a source text imports (`from '...'`, `import '...'`, `import('...')`). */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] as string);
}

const backwards = (specifier: string): boolean => DOWNSTREAM.some((other) => specifier.startsWith(`../${other}/`));

function importsOf(folder: string): Array<{ file: string; specifier: string }> {
  return readdirSync(join(src, folder))
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => specifiers(readFileSync(join(src, folder, name), 'utf8')).map((specifier) => ({ file: `${folder}/${name}`, specifier })));
}

describe('dependency direction', () => {
  it.each(['config', 'plan'])('src/%s imports nothing downstream of the plan', (folder) => {
    const imports = importsOf(folder);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter(({ specifier }) => backwards(specifier))).toEqual([]);
  });

  it('sees an import that goes the wrong way (the check itself can fail)', () => {
    const found = specifiers("import type { CompareOptions } from '../compare/compare-options.js';\nimport { echo } from './echo.js';\n");
    expect(found).toEqual(['../compare/compare-options.js', './echo.js']);
    expect(found.map(backwards)).toEqual([true, false]);
  });
});
