import type { CompiledCapture } from '../config/capture-config.js';
import type { Vars } from '../config/template.js';
import type { ResponseBody } from './check-evaluation.js';
import type { ResponseHeaders } from './http-client.js';

/**
 * What a step's captures take from a response: a JSONPath's value from the JSON body, a
 * header's first value, or the first group of a pattern over the body as text. The body is at
 * most the capture limit (`defaults.maxCaptureBody`): a larger one is not kept, so a pattern
 * never runs over more than that.
 */

/**
 * Fills `vars` from the response, one capture at a time; says for each whether it found a value.
 * A missing body (over the capture limit), text that is not JSON, a path that matches nothing or
 * throws, a header the response lacks, a pattern that does not match or whose group took no part:
 * that capture found nothing. Never throws.
 */
export function captureEach(captures: ReadonlyArray<readonly [string, CompiledCapture]>, body: ResponseBody, headers: ResponseHeaders | undefined, vars: Vars): boolean[] {
  return captures.map(([name, capture]) => {
    const value = capturedValue(capture, body, headers);
    if (value === undefined) return false;
    vars[name] = value;
    return true;
  });
}

function capturedValue(capture: CompiledCapture, body: ResponseBody, headers: ResponseHeaders | undefined): unknown {
  if (typeof capture === 'string') return body.at(capture);
  if ('header' in capture) {
    const value = headers?.[capture.header];
    return Array.isArray(value) ? value[0] : value;
  }
  const text = body.text();
  if (text === undefined) return undefined;
  return capture.regex.exec(text)?.[1];
}
