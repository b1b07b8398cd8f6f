import type { SentBytesWatch } from '../../src/main/core/cloud/sent-bytes';

export const SENT_IDENTITY = { ino: 1, size: 0, mtimeMs: 0 };

/**
 * Feeds `bytes` to a watcher as a send does: each chunk copied into the next of its buffers,
 * which is scribbled over once see() lets it go (what a reused buffer holds next is never what
 * was seen). With `stopAt`, the send stops there. Answers end()'s digest.
 */
export async function feedAsSent(w: SentBytesWatch, bytes: Buffer, chunk: number, stopAt?: number): Promise<string | undefined> {
  let slot = 0;
  for (let at = 0; at < bytes.length; at += chunk) {
    if (stopAt !== undefined && at >= stopAt) {
      w.stop();
      return undefined;
    }
    const piece = bytes.subarray(at, Math.min(at + chunk, bytes.length));
    piece.copy(w.buffers[slot]);
    await w.see(slot, piece.length);
    w.buffers[slot].fill(0xa5);
    slot = (slot + 1) % w.buffers.length;
  }
  return w.end(SENT_IDENTITY);
}
