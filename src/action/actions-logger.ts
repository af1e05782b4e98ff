import * as core from '@actions/core';
import type { Logger } from '../logging.js';

/** Messages as workflow commands: warnings and errors show as annotations on the run. */
export function actionsLogger(): Logger {
  return {
    info: (message) => core.info(message),
    warn: (message) => core.warning(message),
    error: (message) => core.error(message),
  };
}
