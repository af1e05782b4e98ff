/**
 * Text from configs, targets and records (profile and step names, notes, commits, reasons) is
 * untrusted on the HTML page as it is in markdown: every character HTML could read as markup
 * becomes an entity, in text and in quoted attributes alike. Bidirectional and other invisible
 * controls are dropped, as the markdown escaper does (they could make a name read as another).
 */
const HTML_SPECIAL = /[&<>"']/g;
const INVISIBLE_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function escapeHtml(text: string): string {
  return String(text)
    .replace(INVISIBLE_CONTROLS, '')
    .replace(HTML_SPECIAL, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * JSON to sit inside `<script type="application/json">`: the page reads it with JSON.parse, so only
 * what could end the element or open a comment matters; `<` as `\u003c` takes care of both, and the
 * JSON means the same.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
