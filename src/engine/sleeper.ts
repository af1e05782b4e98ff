/** Timers that a stop can cut short: think times and schedule waits end at once on Ctrl-C. */
export class Sleeper {
  private readonly pending = new Set<() => void>();
  private woken = false;

  /** Calls `then` after `ms`, or at once when the wait is over already or a stop has come. */
  after(ms: number, then: () => void): void {
    if (this.woken || ms <= 0) return then();
    const finish = (): void => {
      clearTimeout(timer);
      this.pending.delete(finish);
      then();
    };
    const timer = setTimeout(finish, ms);
    this.pending.add(finish);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Ends every pending sleep now, and every later one at once. */
  wakeAll(): void {
    this.woken = true;
    for (const finish of [...this.pending]) finish();
  }
}
