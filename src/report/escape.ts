/**
 * Text from configs and targets (step names, paths, expressions, notes) is untrusted: it could
 * break a table (`|`), open HTML (`<`), start code, emphasis or a link, or show math (`$`). Each
 * such character becomes a numeric entity, which GitHub renders as the character itself, in
 * markdown, in tables and inside HTML blocks alike. Line breaks become spaces so a name cannot
 * end a table row.
 *
 * Mentions (`@team`), issue links (`#12`), emoji (`:tada:`) and autolinks (`https://`) are found
 * by GitHub after entities are decoded, so for them an entity is not enough: a zero-width space
 * after the `@`, `#` or `:` breaks the pattern without changing what a reader sees. A colon is
 * touched only where it could start an emoji or a link, so "tailgate: shop" stays readable.
 *
 * Bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) are dropped: they
 * could reverse the text after them (a step name that shows as another, a number that reads
 * backwards), and an entity would not help, since GitHub renders it as the control itself. Other
 * control characters are dropped too; they have no visible form.
 */
const SPECIAL = /[\\`*_[\]<>!|~&$@#]|:(?=[\w+-]+:|\/\/)/g;
const PATTERN_STARTS = new Set(['@', '#', ':']);
const ZERO_WIDTH_SPACE = '&#8203;';
const INVISIBLE_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const HAS_INVISIBLE_CONTROL = new RegExp(INVISIBLE_CONTROLS.source);

export function escapeText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(INVISIBLE_CONTROLS, '')
    .replace(SPECIAL, (ch) => `&#${ch.charCodeAt(0)};${PATTERN_STARTS.has(ch) ? ZERO_WIDTH_SPACE : ''}`);
}

/** An untrusted name shown as code: `<code>` with escaped content, safe where backticks are not. */
export function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

/** A link target: only http(s) URLs, attribute-escaped; anything else is dropped. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\/[^\s]+$/i.test(url) || HAS_INVISIBLE_CONTROL.test(url)) return undefined;
  return url.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Text inside a Mermaid double-quoted title: letters, digits and a little punctuation, nothing Mermaid could parse. */
export function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} ._\-/()]/gu, '·').slice(0, 80);
}
