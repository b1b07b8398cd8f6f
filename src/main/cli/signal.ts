// Ctrl+C (SIGINT) and io.signal cancel long commands through one AbortSignal; the core
// then removes what it had started writing.
import type { CliIo } from './io';

export function cancellation(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.on('SIGINT', abort);
  if (io.signal?.aborted) controller.abort();
  io.signal?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', abort);
      io.signal?.removeEventListener('abort', abort);
    },
  };
}
