/**
 * The run's randomness, repeatable from its seed. Each iteration draws from a stream of its own,
 * made from the seed, the shard, the VU's number and the VU's iteration: the same seed gives VU n's
 * iteration i the same journey, think times, data rows and helper values in every run, however
 * the target's answers interleave the VUs. (One stream shared by all VUs would not: the order in
 * which VUs draw from it follows the order of the answers.)
 */

/** A stream of numbers in [0, 1) (mulberry32), restarted for each iteration. Allocates nothing per draw. */
export class IterationRandom {
  private state = 0;
  /** The draw, as a function (for request builders and templates). */
  readonly next = (): number => {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** Restarts the stream at `seed`'s stream for (`stream`, `vu`, `iteration`). */
  restart(seed: number, stream: number, vu: number, iteration: number): void {
    this.state = mix(mix(mix(seed >>> 0, stream), vu), iteration);
  }
}

/** The stream of a setup (VU 0 in k6's terms), per arm: apart from every VU's. */
export const SETUP_VU = 0xffffffff;

/** The most a seed may be: one 32-bit word, so that a seed written down repeats exactly. */
export const MAX_SEED = 0xffffffff;

/** A seed for a run that names none, to be printed and recorded so that the run can be repeated. */
export function freshSeed(random: () => number = Math.random): number {
  return Math.floor(random() * (MAX_SEED + 1)) >>> 0;
}

/** murmur3's finaliser over `hash` and `value`: every bit of each input moves the result. */
function mix(hash: number, value: number): number {
  let h = (hash ^ Math.imul(value >>> 0, 0xcc9e2d51)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
