import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * V8 doubles its young generation (two semi-spaces) each time the bytes that survived scavenges
 * since the last doubling exceed its size. A load generator keeps every request in flight alive
 * across scavenges, so survival is steady and the young generation doubled all run long: 16 MiB
 * semi-spaces after 10 s of 50 VUs on loopback, 64 MiB after 40 s, each doubling held as resident
 * memory, so peak RSS grew with the run's length (measured: new space 32 MiB after 10 s, 128 MiB
 * after 30 s; peak RSS 133 MiB after 10 s, 260 MiB after 60 s). Scavenges cost what survives
 * them, not the size of the space, so semi-spaces beyond this cap buy memory, not speed.
 */
export const MAX_SEMI_SPACE_MIB = 16;
const CHECK_EVERY_MS = 100;
/** V8's default `--semi-space-growth-factor`. */
const DEFAULT_GROWTH_FACTOR = 2;

/** What the cap reads and sets: the young generation's size, V8's growth factor. Tests pass their own. */
export interface YoungGenerationControl {
  /** Bytes of the new space (both semi-spaces), as `v8.getHeapSpaceStatistics()` says. */
  newSpaceBytes(): number;
  setGrowthFactor(factor: number): void;
}

export const processYoungGeneration: YoungGenerationControl = {
  newSpaceBytes: () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0,
  setGrowthFactor: (factor) => setFlagsFromString(`--semi-space-growth-factor=${factor}`),
};

/**
 * Lets the young generation grow as V8 likes until its semi-spaces reach `maxSemiSpaceMiB`, then
 * stops its growth (a growth factor of 1) until `release()`, which restores V8's default. Checked
 * on a timer that never keeps the process alive; `check()` runs one check at once (tests).
 */
export function capYoungGeneration(
  control: YoungGenerationControl = processYoungGeneration,
  maxSemiSpaceMiB = MAX_SEMI_SPACE_MIB,
  schedule: (check: () => void) => { stop(): void } = every(CHECK_EVERY_MS),
): { check(): void; release(): void; readonly capped: boolean } {
  let capped = false;
  let released = false;
  const check = (): void => {
    if (capped || released) return;
    if (control.newSpaceBytes() < 2 * maxSemiSpaceMiB * 2 ** 20) return;
    control.setGrowthFactor(1);
    capped = true;
    timer.stop();
  };
  const timer = schedule(check);
  check();
  return {
    check,
    release: () => {
      if (released) return;
      released = true;
      timer.stop();
      if (capped) control.setGrowthFactor(DEFAULT_GROWTH_FACTOR);
    },
    get capped() {
      return capped;
    },
  };
}

function every(ms: number): (check: () => void) => { stop(): void } {
  return (check) => {
    const timer = setInterval(check, ms);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  };
}
