import { ConfigError, formatField, type ConfigProblem, type FieldPath } from './config-error.js';
import { finishEchoes, type EnvironmentValue } from './echo.js';
import type { SourceLocation } from './profile-types.js';
import { locate, type YamlSource } from './yaml-source.js';

/**
 * The problems found in one profile, each located at its line in the file, so that all of them
 * are reported at once, in file order, as one ConfigError.
 */
export class Problems {
  private readonly list: ConfigProblem[] = [];
  private environment: readonly EnvironmentValue[] = [];
  /** Fields written as one `${VAR}` filled from the environment: dotted field -> variable. */
  private readonly environmentFields = new Map<string, string>();

  constructor(readonly source: YamlSource) {}

  /** Values the profile took from the environment: no message shows them, it names the variable. */
  hideEnvironmentValues(environment: readonly EnvironmentValue[]): void {
    this.environment = environment;
  }

  /**
   * Fields whose whole value came from one environment variable. A number read from one
   * (`rate: ${RATE}`) is shown in messages as `${RATE}`, never as its value.
   */
  hideEnvironmentFields(fields: ReadonlyArray<{ path: FieldPath; name: string }>): void {
    for (const { path, name } of fields) this.environmentFields.set(formatField(path), name);
  }

  /** The variable `path`'s whole value came from, if it did. */
  environmentVariableOf(path: FieldPath): string | undefined {
    return this.environmentFields.get(formatField(path));
  }

  /** A number of the file as a message may show it: `${RATE}` when it came from the environment. */
  shownNumber(path: FieldPath, value: number): string {
    const name = this.environmentVariableOf(path);
    return name === undefined ? String(value) : `\${${name}}`;
  }

  /** A problem with `field`, located at `where` (defaults to the field itself). */
  add(field: FieldPath, message: string, fix?: string, where: { path?: FieldPath; part?: 'key' | 'value' } = {}): void {
    const location = locate(this.source, where.path ?? field, where.part ?? 'value');
    this.list.push({ file: this.source.file, ...location, field: formatField(field), ...this.finish(message, fix) });
  }

  /** A problem that does not come from the file (e.g. the --target option). */
  addOutside(field: string, message: string, fix: string): void {
    this.list.push({ file: this.source.file, field, ...this.finish(message, fix) });
  }

  private finish(message: string, fix: string | undefined): { message: string; fix?: string } {
    return { message: finishEchoes(message, this.environment), ...(fix === undefined ? {} : { fix: finishEchoes(fix, this.environment) }) };
  }

  /** Whether `field` already has a problem with this exact message. */
  has(field: FieldPath, message: string): boolean {
    const finished = finishEchoes(message, this.environment);
    return this.list.some((p) => p.field === formatField(field) && p.message === finished);
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
