import type { PlannedStep } from '../plan/plan.js';
import type { HttpRequest } from './http-client.js';
import { renderJsonBody, renderTemplate, type Vars } from './template.js';

export type RequestBuilder = (vars: Vars) => HttpRequest;

/**
 * Turns a planned step into a function from captured variables to a request. A step without
 * placeholders builds its request once and reuses it: the hot path allocates nothing.
 */
export function requestBuilder(step: PlannedStep, basePath: string): RequestBuilder {
  const keepBodyBytes = step.keepBody ? step.maxCaptureBodyBytes : 0;
  const build = (vars: Vars): HttpRequest => {
    const headers: Record<string, string> = {};
    for (const [name, template] of step.headers) headers[name] = renderTemplate(template, vars);
    const request: HttpRequest = {
      method: step.method,
      path: basePath + renderTemplate(step.path, vars, encodeURIComponent),
      headers,
      timeoutMs: step.timeoutMs,
      keepBodyBytes,
      ...(step.keepHeaders ? { keepHeaders: true } : {}),
    };
    const body = renderBody(step, vars);
    if (body !== undefined) request.body = body;
    return request;
  };
  const constant =
    step.path.constant &&
    step.headers.every(([, t]) => t.constant) &&
    (step.body === undefined || (step.body.kind === 'json' ? step.body.constant !== undefined : step.body.template.constant));
  if (!constant) return build;
  const fixed = build({});
  return () => fixed;
}

function renderBody(step: PlannedStep, vars: Vars): string | undefined {
  const body = step.body;
  if (body === undefined) return undefined;
  if (body.kind === 'text') return renderTemplate(body.template, vars);
  return body.constant ?? JSON.stringify(renderJsonBody(body.value, vars));
}
