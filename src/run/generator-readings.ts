import { fixedReadings, type GeneratorReadings } from '../engine/self-monitor.js';
import type { RunIo } from './run-io.js';

/**
 * Where the self-check reads the generator from: what the caller injects (tests in process), else
 * the process itself, unless `TAILGATE_SELF_CHECK=idle` asks for the readings of an idle
 * generator whose requests start on time. That switch exists for tests of the built bundle on
 * busy machines, which cannot inject anything else; a run made with it says so.
 */
export const SELF_CHECK_ENV = 'TAILGATE_SELF_CHECK';

export function generatorReadingsFor(io: RunIo): GeneratorReadings | undefined {
  if (io.generatorReadings) return io.generatorReadings();
  if (io.env[SELF_CHECK_ENV] === 'idle') {
    io.logger.warn(`${SELF_CHECK_ENV}=idle: the generator's self-check reads an idle generator, so a saturated one would go unnoticed (for tests only)`);
    return fixedReadings();
  }
  return undefined;
}
