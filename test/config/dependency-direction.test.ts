import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The flow goes one way (DESIGN.md: config -> plan -> engine -> recorder -> record -> baseline ->
 * compare -> reporters): the profile's modules and the plan import nothing from what runs,
 * records or judges the load, so they stay plain data in, plain data out. Every other folder
 * under src/ has its list of the folders it may import; a new folder, or a new edge between
 * folders, is placed here on purpose.
 */
const src = join(import.meta.dirname, '../../src');
const DOWNSTREAM = ['engine', 'run', 'record', 'baseline', 'compare', 'report', 'action', 'cli', 'github', 'validate', 'demo', 'sample-service'];

/**
 * What each folder may import from the others (the files at src/'s top, the user error and the
 * logger, are free to all). A folder imports a file of another as `../folder/...`, or a whole
 * folder is allowed. config reads only the threshold's expression parser, so that thresholds are
 * parsed once, with the profile.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  stats: [],
  config: ['threshold/threshold-expression.js'],
  plan: ['config'],
  // The run record's reader tells another tool's results file by its first lines, to point at tailgate import.
  record: ['plan', 'import/detect-format.js'],
  engine: ['config', 'plan', 'record', 'stats', 'threshold'],
  baseline: ['record'],
  threshold: ['config', 'record', 'compare/comparison-types.js'],
  analyze: ['compare', 'config', 'record', 'stats', 'threshold'],
  compare: ['analyze', 'config', 'plan', 'record', 'stats', 'threshold'],
  import: ['config', 'record', 'stats'],
  report: ['analyze', 'compare', 'config', 'record', 'stats', 'threshold'],
  github: ['baseline', 'record', 'report'],
  run: ['compare', 'config', 'engine', 'plan', 'record', 'threshold'],
  validate: ['analyze', 'compare', 'config', 'plan', 'record', 'stats'],
  init: [],
  'sample-service': [],
  demo: ['config'],
  action: ['analyze', 'baseline', 'compare', 'config', 'engine', 'github', 'import', 'plan', 'record', 'report', 'run', 'threshold'],
  cli: ['analyze', 'baseline', 'compare', 'config', 'demo', 'engine', 'import', 'init', 'plan', 'record', 'report', 'run', 'sample-service', 'stats', 'threshold', 'validate'],
};

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

/** Every .ts file under a folder, its subfolders included. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The other folder of src/ (and the path inside it) that an import from `file` reaches, if any. */
function otherFolder(file: string, specifier: string): { folder: string; path: string } | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(src, join(file, '..', specifier)).split(/[\\/]/);
  if (target.length < 2 || (target[0] as string).startsWith('..')) return undefined;
  return { folder: target[0] as string, path: target.join('/') };
}

/** Whether a folder with the `allowed` list may import `other` (the whole folder, or that file of it, is listed). */
function allows(allowed: readonly string[], other: { folder: string; path: string }): boolean {
  return allowed.some((entry) => entry === other.folder || entry === other.path);
}

/** The imports of `folder` that reach a folder (or a file of one) it may not import. */
function forbiddenImports(folder: string, allowed: readonly string[]): string[] {
  return filesUnder(join(src, folder)).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const other = otherFolder(file, specifier);
      if (other === undefined || other.folder === folder) return [];
      return allows(allowed, other) ? [] : [`${relative(src, file)} imports ${specifier}`];
    }),
  );
}

const folders = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory());

describe('dependency direction', () => {
  it.each(['config', 'plan'])('src/%s imports nothing downstream of the plan', (folder) => {
    const imports = importsOf(folder);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter(({ specifier }) => backwards(specifier))).toEqual([]);
  });

  it('src/config imports nothing of the plan: templates are parsed in config', () => {
    expect(importsOf('config').filter(({ specifier }) => specifier.startsWith('../plan/'))).toEqual([]);
  });

  it('every folder under src/ has its place in the flow', () => {
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((folder) => MAY_IMPORT[folder] === undefined)).toEqual([]);
  });

  it.each(folders)('src/%s imports only the folders before it', (folder) => {
    expect(forbiddenImports(folder, MAY_IMPORT[folder] ?? [])).toEqual([]);
  });

  it('sees an import that goes the wrong way (the check itself can fail)', () => {
    const found = specifiers("import type { CompareOptions } from '../compare/compare-options.js';\nimport { echo } from './echo.js';\n");
    expect(found).toEqual(['../compare/compare-options.js', './echo.js']);
    expect(found.map(backwards)).toEqual([true, false]);
    expect(otherFolder(join(src, 'config', 'x.ts'), '../plan/plan.js')).toEqual({ folder: 'plan', path: 'plan/plan.js' });
    expect(otherFolder(join(src, 'report', 'html', 'x.ts'), '../escape.js')).toEqual({ folder: 'report', path: 'report/escape.js' });
    expect(otherFolder(join(src, 'config', 'x.ts'), '../user-error.js')).toBeUndefined();
    // The plan reaching into the engine, or config into the threshold's evaluation, is refused.
    const config = MAY_IMPORT.config as readonly string[];
    expect(allows(config, { folder: 'threshold', path: 'threshold/threshold-expression.js' })).toBe(true);
    expect(allows(config, { folder: 'threshold', path: 'threshold/thresholds.js' })).toBe(false);
    expect(allows(config, { folder: 'plan', path: 'plan/template.js' })).toBe(false);
    expect(allows(MAY_IMPORT.plan as readonly string[], { folder: 'engine', path: 'engine/engine.ts' })).toBe(false);
  });
});
