/** Columns assumed when the output is not a terminal (a pipe, a CI log, a file). */
export const DEFAULT_COLUMNS = 100;

/** Narrower than this, text is wrapped as if it were this wide: one word a line helps nobody. */
const MIN_COLUMNS = 40;

/** The width terminal output is fitted to: the terminal's, when stdout is one, else 100. */
export function outputColumns(io: { columns?: number | undefined }): number {
  const columns = io.columns;
  return columns !== undefined && Number.isInteger(columns) && columns > 0 ? Math.max(MIN_COLUMNS, columns) : DEFAULT_COLUMNS;
}

/**
 * One line of text wrapped at spaces to `columns`: each line after the first starts with the
 * first's own indentation plus `indent`. A word longer than a line (a URL) stays whole on a line
 * of its own.
 */
export function wrapLine(text: string, columns: number, indent = '  '): string[] {
  if (text.length <= columns) return [text];
  const own = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line: string | undefined;
  for (const word of text.slice(own.length).split(' ')) {
    if (line === undefined) line = own + word;
    else if (line.length + 1 + word.length <= columns) line += ` ${word}`;
    else {
      lines.push(line);
      line = own + indent + word;
    }
  }
  lines.push(line ?? own);
  return lines;
}

/** Each line of a text that is wider than `columns` wrapped (see `wrapLine`). */
export function wrapText(text: string, columns: number, indent = '  '): string {
  return text
    .split('\n')
    .flatMap((line) => (line.length <= columns ? [line] : wrapLine(line, columns, indent)))
    .join('\n');
}
