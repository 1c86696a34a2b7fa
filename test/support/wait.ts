// Waiting on a condition instead of sleeping: a test goes on as soon as what it waits for is true, and
// fails at a deadline with a message that says what never happened (a fixed sleep does neither).

export interface WaitOptions {
  /** Milliseconds before giving up (default 5 s). */
  timeout?: number;
  /** Milliseconds between checks (default 20 ms). */
  interval?: number;
}

/**
 * Resolves with the first truthy value `check` returns (it may be async); rejects after `timeout` ms with
 * "timed out after N ms waiting for <what>" (`what` may be a function, to describe the state at the deadline).
 * An error thrown by `check` ends the wait at once: "not yet" is a falsy value, never an exception.
 */
export async function waitFor<T>(what: string | (() => string), check: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeout = 5_000, interval = 20 } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
