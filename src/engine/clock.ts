/** Monotonic time in fractional milliseconds since an arbitrary origin. */
export interface Clock {
  now(): number;
}

/** The process's high-resolution monotonic clock. */
export function monotonicClock(): Clock {
  const origin = process.hrtime.bigint();
  return { now: () => Number(process.hrtime.bigint() - origin) / 1e6 };
}
