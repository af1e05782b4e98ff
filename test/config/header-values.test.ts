import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ConfigError } from '../../src/config/config-error.js';
import { describeHeaderValue } from '../../src/config/header-values.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { captureIo } from '../cli/cli-io.js';

const SECRET = 's3cr3t-t0ken';

function profile(headers: string, stepHeaders = '{}'): string {
  return `target: http://127.0.0.1:1
defaults:
  headers:
${headers}
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - request: GET /
        headers: ${stepHeaders}
`;
}

function problemOf(yaml: string, env: Record<string, string>): string {
  try {
    parseProfile(yaml, { file: 'tailgate.yml', env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('the profile was accepted');
}

/** A header value no request can send is refused before the load, named, its value never shown. */
describe('header values HTTP cannot carry', () => {
  it.each([
    [
      'a token from a file, with its trailing newline',
      profile('    authorization: "Bearer ${API_TOKEN}"'),
      { API_TOKEN: `${SECRET}\n` },
      /^tailgate\.yml:4:20 defaults\.headers\.authorization: the value of \$\{API_TOKEN\} holds a line feed \(LF\) at the end, which no request can send \(likely a trailing newline from a file or secret\); the value is not shown\. Fix: strip the newline where the value of \$\{API_TOKEN\} is set, e.g\. API_TOKEN="\$\(tr -d '\\r\\n' < token\.txt\)"/,
    ],
    [
      'a Windows line end from a secret, in a step header',
      profile('    x-a: ok', '{ x-api-key: "${KEY}" }'),
      { KEY: `${SECRET}\r\n` },
      /journeys\.j\.steps\[0\]\.headers\.x-api-key: the value of \$\{KEY\} holds a carriage return \(CR\)/,
    ],
    [
      'a YAML block scalar that keeps its final newline',
      profile('    x-note: |\n      hello'),
      {},
      /defaults\.headers\.x-note: the value holds a line feed \(LF\) at the end.*block scalar.*Fix: .*\|-/,
    ],
    ['an escape character', profile(`    x-a: "${SECRET}\\e[0m"`), {}, /defaults\.headers\.x-a: the value holds a control character \(U\+001B\) inside it/],
    ['a NUL at the start', profile('    x-a: "${A}"'), { A: `\0${SECRET}` }, /the value of \$\{A\} holds a NUL character at the start/],
    ['a character beyond Latin-1', profile('    x-price: "${P}"'), { P: `${SECRET}€` }, /holds a character beyond Latin-1 at the end.*Latin-1 only.*Fix: percent-encode/],
  ])('%s', (_, yaml, env, expected) => {
    const message = problemOf(yaml, env);
    expect(message).toMatch(expected);
    expect(message).not.toContain(SECRET);
  });

  it('reports every bad header at once', () => {
    const message = problemOf(profile('    a: "${T}"\n    b: "${T}"', '{ c: "${T}" }'), { T: 'x\n' });
    expect(message).toMatch(/tailgate\.yml: 3 problems/);
  });

  it('accepts tabs, spaces and Latin-1', () => {
    expect(describeHeaderValue('Bearer\tabc é ÿ ~')).toBeUndefined();
    const loaded = parseProfile(profile('    authorization: "Bearer ${T}"'), { file: 'tailgate.yml', env: { T: 'abc' } });
    expect(loaded.headers.authorization).toBe('Bearer abc');
  });

  it('tailgate run exits 2 before any connection, naming the file and header, never the value', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-headers-')), 'tailgate.yml');
    writeFileSync(file, profile('    authorization: "Bearer ${API_TOKEN}"'));
    const io = captureIo({ API_TOKEN: `${SECRET}\n` });
    expect(await main(['run', '--config', file], io)).toBe(2);
    const printed = [...io.log, io.out(), io.err()].join('\n');
    expect(printed).toMatch(/tailgate\.yml:4:20 defaults\.headers\.authorization: .*trailing newline from a file or secret/);
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toMatch(/unreachable/);
  });
});
