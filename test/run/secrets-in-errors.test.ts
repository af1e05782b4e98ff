import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { SetupFailedError } from '../../src/engine/setup.js';
import type { PlannedStep } from '../../src/plan/plan.js';
import { hideSecretsIn } from '../../src/run/execute-profile.js';

/**
 * A setup step's failure quotes the HTTP client's message, which may hold what the request
 * carried; the run's errors leave with every value from the environment as ***, in the message a
 * terminal prints and in each problem an annotation is made from.
 */
const SECRET = 'key-5f3a9c1e77';

describe('a user error from the run', () => {
  it('shows each secret as *** in its message and problems, and keeps its class', () => {
    const step = { name: 'POST /login?key=***', location: { file: 'tailgate.yml', line: 4, column: 7 } } as unknown as PlannedStep;
    const error = new SetupFailedError(step, 0, `the request failed before an answer (bad request /login?key=${SECRET})`, `check ${SECRET}`);
    expect(error.message).toContain(SECRET);
    hideSecretsIn(error, [SECRET]);
    expect(error).toBeInstanceOf(SetupFailedError);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('/login?key=***');
    expect(JSON.stringify(error.problems)).not.toContain(SECRET);
    expect(error.problems[0]).toMatchObject({ file: 'tailgate.yml', line: 4, field: 'setup.steps[0]' });
  });

  it('leaves bugs and errors without secrets as they are', () => {
    const bug = new TypeError(`x is ${SECRET}`);
    hideSecretsIn(bug, [SECRET]);
    expect(bug.message).toContain(SECRET);
    const plain = new ConfigError({ file: 'f.yml', field: 'a', message: 'no secret here' });
    hideSecretsIn(plain, []);
    expect(plain.message).toContain('no secret here');
  });
});
