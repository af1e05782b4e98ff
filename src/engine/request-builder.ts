import type { PlannedStep } from '../plan/plan.js';
import type { HttpRequest } from './http-client.js';
import { renderJsonBody, renderTemplate, type Vars } from '../config/template.js';

/** Builds a step's request from the variables, helper calls drawing from `random` (the iteration's stream). */
export type RequestBuilder = (vars: Vars, random: () => number) => HttpRequest;

/**
 * Turns a planned step into a function from captured variables to a request. A step without
 * placeholders builds its request once and reuses it: the hot path allocates nothing.
 */
export function requestBuilder(step: PlannedStep, basePath: string): RequestBuilder {
  const keepBodyBytes = step.keepBody ? step.maxCaptureBodyBytes : 0;
  const build = (vars: Vars, random: () => number): HttpRequest => {
    const headers: Record<string, string> = {};
    for (const [name, template] of step.headers) headers[name] = renderTemplate(template, vars, random);
    const request: HttpRequest = {
      method: step.method,
      path: basePath + renderTemplate(step.path, vars, random, encodeURIComponent),
      headers,
      timeoutMs: step.timeoutMs,
      keepBodyBytes,
      ...(step.keepHeaders ? { keepHeaders: true } : {}),
    };
    const body = renderBody(step, vars, random);
    if (body !== undefined) request.body = body;
    return request;
  };
  const constant =
    step.path.constant &&
    step.headers.every(([, t]) => t.constant) &&
    (step.body === undefined || (step.body.kind === 'json' ? step.body.constant !== undefined : step.body.template.constant));
  if (!constant) return build;
  const fixed = build({}, () => 0);
  return () => fixed;
}

function renderBody(step: PlannedStep, vars: Vars, random: () => number): string | undefined {
  const body = step.body;
  if (body === undefined) return undefined;
  if (body.kind === 'text') return renderTemplate(body.template, vars, random);
  return body.constant ?? JSON.stringify(renderJsonBody(body.template, vars, random));
}
