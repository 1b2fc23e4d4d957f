/**
 * Batches writes to many open streams onto one timer. Under load a document receives dozens of
 * model chunks per second; writing each to each reader costs a stream enqueue and a socket write.
 * Coalescing them for a few milliseconds keeps the per-chunk cost flat without visible delay.
 */
const FLUSH_INTERVAL_MS = 25;

const pending = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;

function flushAll() {
  timer = undefined;
  const flushes = [...pending];
  pending.clear();
  for (const flush of flushes) flush();
}

export function scheduleFlush(flush: () => void): void {
  pending.add(flush);
  timer ??= setTimeout(flushAll, FLUSH_INTERVAL_MS);
}

export function cancelFlush(flush: () => void): void {
  pending.delete(flush);
}
