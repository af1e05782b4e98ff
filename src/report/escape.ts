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
 */
const SPECIAL = /[\\`*_[\]<>!|~&$@#]|:(?=[\w+-]+:|\/\/)/g;
const PATTERN_STARTS = new Set(['@', '#', ':']);
const ZERO_WIDTH_SPACE = '&#8203;';

export function escapeText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(SPECIAL, (ch) => `&#${ch.charCodeAt(0)};${PATTERN_STARTS.has(ch) ? ZERO_WIDTH_SPACE : ''}`);
}

/** An untrusted name shown as code: `<code>` with escaped content, safe where backticks are not. */
export function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

/** A link target: only http(s) URLs, attribute-escaped; anything else is dropped. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return url.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Text inside a Mermaid double-quoted title: letters, digits and a little punctuation, nothing Mermaid could parse. */
export function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} ._\-/()]/gu, '·').slice(0, 80);
}
