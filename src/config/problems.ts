import { ConfigError, formatField, type ConfigProblem, type FieldPath } from './config-error.js';
import type { SourceLocation } from './profile-types.js';
import { locate, type YamlSource } from './yaml-source.js';

/**
 * The problems found in one profile, each located at its line in the file, so that all of them
 * are reported at once, in file order, as one ConfigError.
 */
export class Problems {
  private readonly list: ConfigProblem[] = [];

  constructor(readonly source: YamlSource) {}

  /** A problem with `field`, located at `where` (defaults to the field itself). */
  add(field: FieldPath, message: string, fix?: string, where: { path?: FieldPath; part?: 'key' | 'value' } = {}): void {
    const location = locate(this.source, where.path ?? field, where.part ?? 'value');
    this.list.push({ file: this.source.file, ...location, field: formatField(field), message, ...(fix === undefined ? {} : { fix }) });
  }

  /** A problem that does not come from the file (e.g. the --target option). */
  addOutside(field: string, message: string, fix: string): void {
    this.list.push({ file: this.source.file, field, message, fix });
  }

  /** Whether `field` already has a problem with this exact message. */
  has(field: FieldPath, message: string): boolean {
    return this.list.some((p) => p.field === formatField(field) && p.message === message);
  }

  locationOf(path: FieldPath, part: 'key' | 'value'): SourceLocation | undefined {
    const location = locate(this.source, path, part);
    return location && { file: this.source.file, line: location.line, column: location.column };
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    const sorted = [...this.list].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(sorted);
  }
}
