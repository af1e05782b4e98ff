import { seededRandom } from '../stats/seeded-random.js';
import { hashSeed } from './synthetic-experiment.js';

/**
 * The drift two copies of the sample service share in `tailgate calibrate --paired`: a latency
 * multiplier that is one seeded function of time, so both copies read the same value at the same
 * moment. It is the noise that defeats stored baselines (runs at different times see different
 * levels) and that pairing is meant to cancel:
 * - a slow swing: a sine of `swing` amplitude (0.1: from 0.9 to 1.1 times) over `periodMs`;
 * - a random level each whole second, log-normal with σ `secondSigma`, drawn from the seed and
 *   the second's index alone (no state: any second can be read in any order);
 * - optionally a level held for minutes (`runSigma`, one log-normal draw per `runSegmentMs`
 *   segment, also stateless): the run-to-run shift of a shared runner or a preview deployment,
 *   which a run of a minute cannot average out. Off (0) by default.
 */
export interface SharedDriftSettings {
  seed: number;
  /** Amplitude of the slow swing: 0.1 swings the speed between 0.9 and 1.1 times. */
  swing: number;
  periodMs: number;
  /** σ of each second's level, log scale: 0.05 ≈ 5%. */
  secondSigma: number;
  /** σ of the level held over each segment, log scale: 0.08 ≈ 8%; 0 turns it off. */
  runSigma: number;
  runSegmentMs: number;
}

export const DEFAULT_SHARED_DRIFT: SharedDriftSettings = { seed: 1, swing: 0.1, periodMs: 40_000, secondSigma: 0.05, runSigma: 0, runSegmentMs: 90_000 };

/** The multiplier at `elapsedMs` into the experiment: always positive, 1 on average over the swing. */
export function sharedDrift(settings: SharedDriftSettings): (elapsedMs: number) => number {
  if (!(settings.swing >= 0 && settings.swing < 1)) throw new RangeError(`the swing must be from 0 to under 1 (got ${settings.swing})`);
  if (!(settings.periodMs > 0)) throw new RangeError(`the period must be positive (got ${settings.periodMs} ms)`);
  if (!(settings.runSigma >= 0)) throw new RangeError(`the run-level σ must be 0 or more (got ${settings.runSigma})`);
  if (!(settings.runSegmentMs > 0)) throw new RangeError(`the run-level segment must be positive (got ${settings.runSegmentMs} ms)`);
  const level = (index: number, sigma: number, salt: number): number => (sigma === 0 ? 1 : Math.exp(sigma * seededRandom(hashSeed(settings.seed, index, salt)).normal()));
  return (elapsedMs) => {
    const at = Math.max(0, elapsedMs);
    const second = level(Math.floor(at / 1000), settings.secondSigma, 0x5d1f);
    const segment = level(Math.floor(at / settings.runSegmentMs), settings.runSigma, 0x7a3c);
    return (1 + settings.swing * Math.sin((2 * Math.PI * elapsedMs) / settings.periodMs)) * second * segment;
  };
}
