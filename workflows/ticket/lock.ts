/**
 * A FIFO lock for workflow code. Update handlers and the timer loop all change the ticket's state and await
 * activities in between; running them one at a time keeps every change based on the state the previous one
 * left, and keeps history entries in the order of `eventSeq`. Deterministic: plain promise chaining.
 */
export class Lock {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  /** Runs `fn` after every earlier holder has finished. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.holders++;
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => {
        this.holders--;
      },
      () => {
        this.holders--;
      },
    );
    return result;
  }

  /** True when nobody holds or waits for the lock. */
  get idle(): boolean {
    return this.holders === 0;
  }
}
