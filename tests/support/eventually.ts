// Polls until `check` returns a value (for timers and background projection). Free of vitest, so
// scripts (npm run histories:record) use it too.
// `what` may be a function: it is asked on time-out, so the message can carry the last state seen.
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what: string | (() => string) = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
