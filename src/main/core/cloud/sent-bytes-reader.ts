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

export interface SentBytesVerdict {
  sha256: string;
  /** `members` mode: the read of the bundle made of these bytes (its problems say what is wrong). */
  members?: BundleMemberList;
}

/** Chunks copied and not yet read by the members reader: past this, take() waits for it. */
const QUEUED_CHUNKS_MAX = 4;

/**
 * A queue of chunks as an async iterable: push() resolves once the queue has room again, so a
 * reader slower than the send holds it back instead of growing the queue.
 */
class ChunkQueue implements AsyncIterable<Buffer> {
  private chunks: Buffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wakeReader: (() => void) | undefined;
  private roomWaiters: (() => void)[] = [];
  /** Set once the reader has stopped for good (its result settled): pushes are dropped. */
  private closed = false;

  async push(chunk: Buffer): Promise<void> {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.wake();
    if (this.chunks.length > QUEUED_CHUNKS_MAX) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(e: Error): void {
    this.failure = e;
    this.wake();
  }

  /** The reader is gone: drop what is queued and never hold a push back again. */
  close(): void {
    this.closed = true;
    this.chunks = [];
    this.freeRoom();
  }

  private wake() {
    const w = this.wakeReader;
    this.wakeReader = undefined;
    w?.();
  }

  private freeRoom() {
    while (this.roomWaiters.length && (this.closed || this.chunks.length <= QUEUED_CHUNKS_MAX)) this.roomWaiters.shift()!();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.chunks.shift();
      if (next) {
        this.freeRoom();
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }
}

export class SentBytesReader {
  private readonly hash = createHash('sha256');
  private readonly queue?: ChunkQueue;
  private readonly members?: Promise<BundleMemberList>;
  private bytes = 0;

  /** `file` names the bundle in the read's messages; it is not read. */
  constructor(mode: SentBytesMode, file: string) {
    if (mode === 'members') {
      const queue = new ChunkQueue();
      this.queue = queue;
      this.members = readBundleMemberList(file, { source: queue }).finally(() => queue.close());
      this.members.catch(() => undefined);
    }
  }

  /**
   * Sees the next chunk sent. `chunk` may be written to again once the promise resolves: it is
   * hashed here and now, and copied for the members read, which runs behind.
   */
  async take(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.queue) await this.queue.push(Buffer.from(chunk));
  }

  /** After the last chunk: the digest of every byte taken, in order, and the members read of them. */
  async finish(): Promise<SentBytesVerdict> {
    this.queue?.end();
    const members = await this.members;
    return { sha256: this.hash.digest('hex'), ...(members ? { members } : {}) };
  }

  /** The send stopped before its end: the read ends without a verdict. */
  stop(): void {
    this.queue?.fail(Object.assign(new Error('The send stopped before the end of the bundle.'), { name: 'AbortError' }));
  }

  get taken(): number {
    return this.bytes;
  }
}
