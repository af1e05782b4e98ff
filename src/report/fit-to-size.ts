/**
 * Keeps a report under a size limit (GitHub comments and check summaries stop at 65,536
 * characters): optional sections are dropped in order, least useful first, and the report says
 * what was left out; only if that is not enough is the text cut, on a line boundary, with any
 * open code fence or <details> closed so the rest of the page still renders.
 */
export interface ReportSection {
  text: string;
  /** Dropped when space runs out: lower first. Absent means the section always stays. */
  dropOrder?: number;
  /** What the trimmed note calls it ("charts", "the step list"...). */
  label?: string;
}

export function fitToSize(sections: readonly ReportSection[], maxChars: number, trimmedNote: (dropped: string[]) => string): string {
  const kept = sections.filter((s) => s.text !== '');
  const join = (parts: readonly ReportSection[]): string => parts.map((s) => s.text).join('\n\n');
  let text = join(kept);
  if (text.length <= maxChars) return text;

  const dropped: string[] = [];
  const order = kept
    .map((section, index) => ({ section, index }))
    .filter(({ section }) => section.dropOrder !== undefined)
    .sort((a, b) => (a.section.dropOrder as number) - (b.section.dropOrder as number) || b.index - a.index);
  const remaining = new Set(kept);
  for (const { section } of order) {
    remaining.delete(section);
    if (section.label !== undefined && !dropped.includes(section.label)) dropped.push(section.label);
    text = withNote(join(kept.filter((s) => remaining.has(s))), trimmedNote(dropped));
    if (text.length <= maxChars) return text;
  }
  return truncate(text, maxChars, trimmedNote(dropped));
}

function withNote(text: string, note: string): string {
  return `${text}\n\n${note}`;
}

/** Cut at a line boundary, close what was left open, and end with the note. */
function truncate(text: string, maxChars: number, note: string): string {
  const closers = '\n```\n</details>'.length * 4;
  const budget = Math.max(0, maxChars - note.length - closers - 4);
  let cut = text.slice(0, budget);
  const lastLine = cut.lastIndexOf('\n');
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  if ((cut.match(/^```/gm)?.length ?? 0) % 2 === 1) cut += '\n```';
  const open = (cut.match(/<details>/g)?.length ?? 0) - (cut.match(/<\/details>/g)?.length ?? 0);
  for (let i = 0; i < open; i++) cut += '\n</details>';
  const result = withNote(cut, note);
  return result.length <= maxChars ? result : result.slice(0, maxChars);
}
