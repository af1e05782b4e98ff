import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The preview workflows' `if:` against the deployment_status payloads deployers send: Vercel
 * names its environments "Preview – <project>" and "Production – <project>" (older projects
 * "Preview" and "Production"), and a deployer may mark a deployment `production_environment`
 * (an optional boolean of the payload's `deployment`). The expressions are evaluated by a small
 * evaluator of the GitHub Actions expression syntax they use (property access, string literals,
 * ! && || == !=, startsWith, endsWith, contains; comparisons and functions ignore case, as
 * GitHub's do).
 */
const ROOT = join(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

type Value = string | number | boolean | null | { [key: string]: Value };

function evaluate(expression: string, context: Record<string, Value>): Value {
  const tokens = expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[!(),]|[A-Za-z_][\w.-]*|\S/g) ?? [];
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const take = (expected?: string): string => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'a token'} at ${at} in ${expression}`);
    return token;
  };
  const truthy = (v: Value): boolean => !(v === null || v === false || v === 0 || v === '');
  const text = (v: Value): string => (v === null ? '' : typeof v === 'object' ? 'Object' : String(v)).toLowerCase();
  const equal = (a: Value, b: Value): boolean => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const functions: Record<string, (a: Value, b: Value) => boolean> = {
    startswith: (a, b) => text(a).startsWith(text(b)),
    endswith: (a, b) => text(a).endsWith(text(b)),
    contains: (a, b) => text(a).includes(text(b)),
  };
  const primary = (): Value => {
    const token = take();
    if (token === '!') return !truthy(primary());
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(') {
      const fn = functions[token.toLowerCase()];
      if (!fn) throw new Error(`unknown function ${token}`);
      take('(');
      const a = or();
      take(',');
      const b = or();
      take(')');
      return fn(a, b);
    }
    return token.split('.').reduce<Value>((value, key) => (value !== null && typeof value === 'object' && key in value ? (value[key] as Value) : null), context as Value);
  };
  const comparison = (): Value => {
    const left = primary();
    if (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = primary();
      return op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let value = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): Value => {
    let value = and();
    while (peek() === '||') {
      take();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`unexpected ${peek()} in ${expression}`);
  return value;
}

function deploymentStatus(environment: string, state = 'success', productionEnvironment?: boolean): Record<string, Value> {
  const deployment: { [key: string]: Value } = { environment, sha: 'a'.repeat(40) };
  if (productionEnvironment !== undefined) deployment.production_environment = productionEnvironment;
  return { github: { event: { deployment, deployment_status: { state, environment_url: 'https://my-app-git-feature-team.vercel.app' } } } };
}

describe('examples/paired-preview.yml', () => {
  const text = read('examples/paired-preview.yml');
  const workflow = parse(text) as { jobs: Record<string, { if: string; steps: Array<{ with?: Record<string, string> }> }> };
  const condition = (workflow.jobs.performance as { if: string }).if.replace(/^\$\{\{|\}\}$/g, '');

  it.each<[string, Record<string, Value>, boolean]>([
    ['a Vercel preview with the project suffix', deploymentStatus('Preview – my-app'), true],
    ['a Vercel preview of an older project', deploymentStatus('Preview'), true],
    ['a Vercel preview the deployer marks transient, not production', deploymentStatus('Preview – my-app', 'success', false), true],
    ['a Vercel production deployment with the project suffix', deploymentStatus('Production – my-app'), false],
    ['a Vercel production deployment of an older project', deploymentStatus('Production'), false],
    ['a deployment marked production_environment, whatever its name', deploymentStatus('Preview – my-app', 'success', true), false],
    ['another environment (a custom one, or another deployer\'s production)', deploymentStatus('production'), false],
    ['a preview still building', deploymentStatus('Preview – my-app', 'pending'), false],
    ['a preview that failed', deploymentStatus('Preview – my-app', 'failure'), false],
  ])('%s: measured %s', (_name, context, measured) => {
    expect(Boolean(evaluate(condition, context))).toBe(measured);
  });

  it('the evaluator reads the condition the example used to have as GitHub does: it let "Production – my-app" through', () => {
    const old = "github.event.deployment_status.state == 'success' && github.event.deployment.environment != 'Production'";
    expect(evaluate(old, deploymentStatus('Production – my-app'))).toBe(true);
    expect(evaluate(old, deploymentStatus('production'))).toBe(false);
  });

  it('says that paired mode loads the baseline URL on every pull request, and what to point it at instead', () => {
    expect(text).toMatch(/Paired mode sends the profile's whole load to baseline-url as well as to the preview, on every\n# push to every pull request/);
    expect(text).toMatch(/a staging deployment of the default branch,\n# or a second preview of the pull request's base/);
    const step = workflow.jobs.performance?.steps.find((s) => s.with?.['baseline-url'] !== undefined);
    expect(step?.with?.['baseline-url']).toBe('https://www.example.com');
  });
});

describe('examples/deployment-preview.yml', () => {
  const written = /# mode: \$\{\{(.*)\}\}/.exec(read('examples/deployment-preview.yml'))?.[1] ?? '';

  it.each<[string, string]>([
    ['Production – my-app', 'baseline'],
    ['Production', 'baseline'],
    ['Preview – my-app', 'auto'],
  ])('its explicit mode records a deployment to %s as: %s', (environment, mode) => {
    expect(evaluate(written, deploymentStatus(environment))).toBe(mode);
  });
});

describe('docs/action.md, Paired mode', () => {
  const section = /## Paired mode\n([\s\S]*?)\n## /.exec(read('docs/action.md'))?.[1] ?? '';

  it('says where the load goes on every run and what to point baseline-url at instead', () => {
    expect(section).toMatch(/sends the profile's whole load to `baseline-url` as well as to the target, on every\nrun/);
    expect(section).toContain('a staging deployment of the default branch, or a second\npreview deployed from the pull request');
    expect(section).toContain("startsWith(github.event.deployment.environment, 'Preview')");
  });
});
