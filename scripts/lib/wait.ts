export interface WaitOptions {
  /** Give up after this long. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Named in the error when the condition never held. */
  readonly what?: string;
}

/**
 * Polls `check` until it returns something other than undefined/false, and returns that. Tests
 * wait for a condition this way instead of sleeping for a guessed time.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 50, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
