import { expect } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';

/** The message of the ConfigError `attempt` throws; fails the test when it throws none or another error. */
export function configErrorMessage(attempt: () => unknown): string {
  let error: unknown;
  try {
    attempt();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}
