import { describe, expect, it } from 'vitest';
import { InputError } from '../src/action/input-error.js';
import { CliError } from '../src/cli/cli-error.js';
import { ConfigError } from '../src/config/config-error.js';
import { SetupFailedError } from '../src/engine/setup.js';
import { RecordError } from '../src/record/record-error.js';
import { CouldNotRunError } from '../src/run/execute-profile.js';
import { UserError } from '../src/user-error.js';

describe('errors a user can fix share one class', () => {
  it('config, record, input, flag, setup and could-not-run errors are user errors; a bug is not', () => {
    const users = [
      new ConfigError({ file: 'tailgate.yml', field: 'scenarios.browse.rate', message: 'must be a positive whole number (got "fast")' }),
      new RecordError('run.json', 'is truncated', 'run the load again'),
      new InputError('fail-on', 'must be one of regression, inconclusive, never (got "maybe")'),
      new CliError('--duration must be a duration like 30s'),
      new CouldNotRunError('the target never answered'),
    ];
    for (const error of users) expect(error).toBeInstanceOf(UserError);
    expect(SetupFailedError.prototype).toBeInstanceOf(UserError);
    expect(new TypeError('x is undefined')).not.toBeInstanceOf(UserError);
  });
});
