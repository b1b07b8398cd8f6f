// What an upload learns from the very bytes it sends: their SHA-256 and, for a new bundle,
// the strict read of its members (core/bundle/read.ts). The send reads each chunk of the file
// once; this sees that chunk, so what is checked is what went out, with no second read of
// the file and no second hash (issue 11: on two cores beside the cloud's side of the
// connection, each pass over 500 MB costs the throughput it takes). Shared by the worker
// (src/main/workers/bundle-check.ts) and the in-thread fallback (sent-bytes.ts).
import { createHash } from 'node:crypto';
import { readBundleMemberList, type BundleMemberList } from '../bundle/read';

/** `sha256`: the digest only (a queued entry's bytes); `members`: also the bundle's strict read (a new bundle). */
export type SentBytesMode = 'sha256' | 'members';

/** The error a watch ends with when the send stops before its end: no verdict (isSendStopped). */
export const sendStoppedError = (): Error => Object.assign(new Error('The send stopped before the end of the bundle.'), { name: 'AbortError' });
export const isSendStopped = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

export interface SentBytesVerdict {
  sha256: string;
  /** `members` mode: the read of the bundle made of these bytes (its problems say what is wrong). */
  members?: BundleMemberList;
}

/**
 * The chunks for the members read, as an async iterable of the sender's own buffers (no copy):
 * push() resolves once the reader is done with that chunk, that is once it asks for the next
 * one (gunzipOneMember's `chunksReused` contract: nothing of a chunk is kept past that), or
 * once the reader has stopped for good.
 */
class ChunkQueue implements AsyncIterable<Buffer> {
  private chunks: { chunk: Buffer; release: () => void }[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wakeReader: (() => void) | undefined;
  /** Set once the reader has stopped for good (its result settled): pushes are let go at once. */
  private closed = false;

  push(chunk: Buffer): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((release) => {
      this.chunks.push({ chunk, release });
      this.wake();
    });
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(e: Error): void {
    this.failure = e;
    this.wake();
  }

  /** The reader is gone: let go of what is queued and of every later push. */
  close(): void {
    this.closed = true;
    for (const c of this.chunks.splice(0)) c.release();
    this.wake();
  }

  private wake() {
    const w = this.wakeReader;
    this.wakeReader = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.chunks.shift();
      if (next) {
        try {
          yield next.chunk;
        } finally {
          // The reader asked for the next chunk (or stopped): done with this one.
          next.release();
        }
        continue;
      }
      if (this.ended || this.closed) return;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }
}

export class SentBytesReader {
  private readonly hash = createHash('sha256');
  private readonly queue?: ChunkQueue;
  private readonly members?: Promise<BundleMemberList>;

  /** `file` names the bundle in the read's messages; it is not read. */
  constructor(mode: SentBytesMode, file: string) {
    if (mode === 'members') {
      const queue = new ChunkQueue();
      this.queue = queue;
      this.members = readBundleMemberList(file, { source: queue, sourceReused: true }).finally(() => queue.close());
      this.members.catch(() => undefined);
    }
  }

  /**
   * Sees the next chunk sent. `chunk` may be written to again once the promise resolves: it is
   * hashed here and now, and read by the members read, which is done with it when it asks
   * for the next one.
   */
  async take(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    if (this.queue) await this.queue.push(chunk);
  }

  /** After the last chunk: the digest of every byte taken, in order, and the members read of them. */
  async finish(): Promise<SentBytesVerdict> {
    this.queue?.end();
    const members = await this.members;
    return { sha256: this.hash.digest('hex'), ...(members ? { members } : {}) };
  }

  /** The send stopped before its end: the read ends without a verdict. */
  stop(): void {
    this.queue?.fail(sendStoppedError());
  }
}
