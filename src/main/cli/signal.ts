// Ctrl+C (SIGINT) and io.signal cancel long commands through one AbortSignal; the core
// then removes what it had started writing. SIGTERM and SIGHUP (a service manager stopping
// us, a closed terminal) do not wait for that: the temp files in use are removed at once,
// synchronously, and the process ends by the same signal, as its parent expects.
import { removeLiveTempsSync } from '../core/fs/temp-files';
import type { CliIo } from './io';

const ENDING_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

export function cancellation(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const end = (sig: NodeJS.Signals) => {
    controller.abort();
    removeLiveTempsSync();
    for (const s of ENDING_SIGNALS) process.removeListener(s, end);
    // Without our listener the default action applies: the process ends by this signal.
    process.kill(process.pid, sig);
  };
  process.on('SIGINT', abort);
  for (const s of ENDING_SIGNALS) process.on(s, end);
  if (io.signal?.aborted) controller.abort();
  io.signal?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', abort);
      for (const s of ENDING_SIGNALS) process.removeListener(s, end);
      io.signal?.removeEventListener('abort', abort);
    },
  };
}
