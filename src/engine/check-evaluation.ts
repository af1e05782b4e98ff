import { isDeepStrictEqual } from 'node:util';
import { JSONPath } from 'jsonpath-plus';
import type { Check, CheckOperator } from '../config/profile-types.js';
import type { ResponseHeaders } from './http-client.js';

/**
 * What a response says to its step's captures and checks: the body read as text and as JSON at
 * most once, however many of them look.
 */

/**
 * The deepest nesting a captured body may have. JSONPath evaluation recurses once per level (and
 * `$..` visits every level), so a body nested thousands deep would overflow the stack; real API
 * responses stay far below this.
 */
export const MAX_CAPTURE_DEPTH = 1000;

const NOT_JSON: unique symbol = Symbol('not JSON');

/** A kept response body (or none: drained, or over the capture limit), parsed on first use. */
export class ResponseBody {
  private textValue: string | undefined;
  private jsonValue: unknown = undefined;
  private parsed = false;

  constructor(private readonly body: Buffer | undefined) {}

  text(): string | undefined {
    if (this.body === undefined) return undefined;
    this.textValue ??= this.body.toString('utf8');
    return this.textValue;
  }

  /** The JSON value, or NOT_JSON when there is no body, it is not JSON or nests too deep. */
  json(): unknown {
    if (!this.parsed) {
      this.parsed = true;
      const text = this.text();
      this.jsonValue = NOT_JSON;
      if (text !== undefined && nestingDepth(text) <= MAX_CAPTURE_DEPTH) {
        try {
          this.jsonValue = JSON.parse(text);
        } catch {
          // stays NOT_JSON
        }
      }
    }
    return this.jsonValue;
  }

  /** The value at `path`, or undefined when it matches nothing or cannot be evaluated. Never throws. */
  at(path: string): unknown {
    const json = this.json();
    if (json === NOT_JSON) return undefined;
    try {
      return JSONPath({ path, json: json as object, wrap: false }) as unknown;
    } catch {
      // A filter reading a field an item lacks (`[?(@.price.amount > 5)]`) throws: it found nothing.
      return undefined;
    }
  }
}

/** Whether a response passes a check. A request that got no response passes none (see the VU). */
export function passes(check: Check, status: number, headers: ResponseHeaders | undefined, body: ResponseBody): boolean {
  switch (check.kind) {
    case 'status':
      return check.statuses.includes(status);
    case 'body':
      return body.text()?.includes(check.contains) ?? false;
    case 'header': {
      const raw = headers?.[check.header];
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (check.op === 'missing') return value === undefined;
      if (value === undefined) return false;
      if (check.op === 'exists') return true;
      return check.op === 'equals' ? value === check.value : value.includes(check.value as string);
    }
    case 'json':
      return compare(body.at(check.path), check.op, check.value);
  }
}

function compare(value: unknown, op: CheckOperator, expected: unknown): boolean {
  switch (op) {
    case 'exists':
      return value !== undefined;
    case 'missing':
      return value === undefined;
    case 'equals':
      return value !== undefined && isDeepStrictEqual(value, expected);
    case 'contains':
      if (typeof value === 'string') return value.includes(String(expected));
      return Array.isArray(value) && value.some((item) => isDeepStrictEqual(item, expected));
    case 'gt':
      return typeof value === 'number' && value > (expected as number);
    case 'gte':
      return typeof value === 'number' && value >= (expected as number);
    case 'lt':
      return typeof value === 'number' && value < (expected as number);
    case 'lte':
      return typeof value === 'number' && value <= (expected as number);
  }
}

/** How deep JSON text nests its arrays and objects (brackets inside strings do not count). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
