/**
 * Retries `probe` until it stops throwing (an expect() that holds), for effects that travel through
 * events. Bounded: after `timeoutMs` the last failure is thrown.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((done) => setTimeout(done, options.intervalMs ?? 100));
  }
}
