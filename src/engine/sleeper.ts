/** Timers that a stop can cut short: think times and schedule waits end at once on Ctrl-C. */
export class Sleeper {
  private readonly pending = new Set<() => void>();
  private woken = false;

  sleep(ms: number): Promise<void> {
    if (this.woken || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.pending.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.pending.add(finish);
    });
  }

  /** Ends every pending sleep now, and every later one at once. */
  wakeAll(): void {
    this.woken = true;
    for (const finish of [...this.pending]) finish();
  }
}
