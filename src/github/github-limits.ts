import { fitToSize } from '../report/fit-to-size.js';

/** GitHub's size limits, in characters (checked late 2026). */
export const COMMENT_MAX_CHARS = 65_536;
export const CHECK_SUMMARY_MAX_CHARS = 65_535;
export const CHECK_ANNOTATIONS_PER_REQUEST = 50;
export const ANNOTATION_TITLE_MAX_CHARS = 255;
export const ANNOTATION_MESSAGE_MAX_CHARS = 64 * 1024;

const TRUNCATED_NOTE = '_Truncated to fit GitHub’s size limit: the full report is in the job summary._';

/**
 * A guard, not the layout: callers hand over markdown already fitted, and this only cuts what
 * still overflows (on a line boundary, closing open fences and details, with a note).
 */
export function fitMarkdown(markdown: string, maxChars: number): string {
  if (markdown.length <= maxChars) return markdown;
  return fitToSize([{ text: markdown }], maxChars, () => TRUNCATED_NOTE);
}

/** Plain text cut to `maxChars`, ending in an ellipsis; never splits a surrogate pair. */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
