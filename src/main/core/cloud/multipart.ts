// A multipart/form-data body with one file part, streamed from disk: the bundle is read into
// a few reused 1 MiB buffers, each read into again only once the connection is done with it,
// so memory stays flat whatever the size and nothing is allocated per chunk. Its length is known up front (Content-Length), which lets
// the cloud refuse an oversized upload before it is sent and lets progress show a total.
import { createHash, randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { fsFailure } from '../../../shared/errors';

export interface FilePart {
  /** The form field: `file` for both upload endpoints. */
  field: string;
  /** The file name the cloud sees (service.tar.gz, batch.tar.gz). */
  filename: string;
  contentType: string;
  path: string;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  /** The file's size (progress counts the file's bytes). */
  fileSize: number;
  /**
   * Writes the whole body through `write`, reporting the file bytes sent so far. `write`
   * resolves once the connection is done with the chunk (its buffer is then reused). With
   * `beforeClose`, the closing boundary (the body's last bytes) waits for it; if it rejects,
   * the body ends unfinished, which the cloud takes as no upload at all.
   */
  send(write: (chunk: Buffer) => Promise<void>, onFileBytes?: (sent: number) => void, beforeClose?: (sent: SentFile) => Promise<void>, watcher?: ChunkWatcher): Promise<void>;
}

/**
 * Sees each chunk of the file as it is sent, in the buffers it gives (another thread may look
 * at them: core/cloud/sent-bytes.ts). A buffer is read into again only once both the
 * connection and see() are done with it, so what the watcher sees is what went out.
 */
export interface ChunkWatcher {
  /** The buffers the file is read into, in turn: at least two. */
  readonly buffers: readonly Buffer[];
  see(slot: number, length: number): Promise<void>;
  /** After the last chunk, with the file's identity then: the SHA-256 of every byte seen, in order (SentFile.sha256). */
  end(file: FileIdentity): Promise<string>;
  /** The send stopped before its end. */
  stop(): void;
}

/**
 * What was sent, for `beforeClose`: the file's identity at the end, and the SHA-256 of the
 * bytes that went out. The identity alone misses a file rewritten in place whose mtime was put
 * back (touch -r, rsync --inplace -t): its inode, size and mtime stay, its bytes do not.
 */
export interface SentFile extends FileIdentity {
  sha256: string;
}

/** Which file was sent, and unchanged how: a file rewritten in place changes its mtime. */
export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

const identityOf = (st: FileIdentity): FileIdentity => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });

/**
 * The file is read into reused buffers of CHUNK bytes (two, or the watcher's), in turn: the
 * next chunk is read into one while another is with the connection, and a buffer is read into
 * again only once the connection (and the watcher) are done with it. Nothing is allocated per
 * chunk (no garbage to collect), and a few chunks of the file are in memory whatever its size.
 */
const CHUNK = 1 << 20;

const quoted = (s: string) => s.replace(/[\r\n"\\]/g, (c) => encodeURIComponent(c));

export async function multipartFile(part: FilePart): Promise<MultipartBody> {
  let fileSize: number;
  try {
    fileSize = (await stat(part.path)).size;
  } catch (e) {
    throw fsFailure(e, 'Cannot read the bundle', part.path);
  }
  const boundary = `----bundle-studio-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(part.field)}"; filename="${quoted(part.filename)}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + fileSize + tail.length,
    fileSize,
    async send(write, onFileBytes, beforeClose, watcher) {
      let fh;
      try {
        fh = await open(part.path, 'r');
      } catch (e) {
        watcher?.stop();
        throw fsFailure(e, 'Cannot read the bundle', part.path);
      }
      // The read of the next chunk, and each buffer's use (the connection's and the watcher's).
      let next: Promise<{ bytesRead: number }> | undefined;
      const buffers = watcher?.buffers ?? [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
      const inUse: (Promise<unknown> | undefined)[] = buffers.map(() => undefined);
      let ended = false;
      try {
        const opened = identityOf(await fh.stat());
        // Not waited for: the head is its own buffer, and the file's first chunk goes with it.
        const headWritten = write(head);
        headWritten.catch(() => undefined);
        let sent = 0;
        let current = 0;
        // Only where the caller compares what was sent with what it checked and no watcher
        // hashes it (one pass of SHA-256 over the bytes as they go out).
        const hash = beforeClose && !watcher ? createHash('sha256') : undefined;
        // Never more than the announced size: bytes past it would go out in place of the
        // closing boundary, and the cloud, with Content-Length bytes in hand, would take the
        // body as whole (a file grown during the send; the growth is found below).
        const room = (buf: Buffer, at: number) => Math.min(buf.length, fileSize - at);
        next = fh.read(buffers[0], 0, room(buffers[0], 0), 0);
        for (;;) {
          let bytesRead: number;
          try {
            ({ bytesRead } = await next);
          } catch (e) {
            next = undefined;
            throw fsFailure(e, 'Cannot read the bundle', part.path);
          }
          if (bytesRead === 0) break;
          const slot = current;
          const buf = buffers[slot];
          const chunk = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
          hash?.update(chunk);
          const written = write(chunk);
          const use = watcher ? Promise.all([written, watcher.see(slot, bytesRead)]) : written;
          use.catch(() => undefined);
          inUse[slot] = use;
          // The next buffer is read into once the connection and the watcher are done with it,
          // while this one goes out.
          current = (slot + 1) % buffers.length;
          await inUse[current];
          inUse[current] = undefined;
          next = fh.read(buffers[current], 0, room(buffers[current], sent + bytesRead), sent + bytesRead);
          next.catch(() => undefined);
          await written;
          sent += bytesRead;
          onFileBytes?.(sent);
        }
        next = undefined;
        await Promise.all(inUse);
        await headWritten;
        // A file that changed size since the length was announced would corrupt the body.
        if (sent === fileSize && (await fh.read(Buffer.alloc(1), 0, 1, sent)).bytesRead > 0) {
          throw fsFailure({ message: `its size changed while it was sent (${fileSize} → more bytes)` }, 'Cannot upload', part.path);
        }
        if (sent !== fileSize) throw fsFailure({ message: `its size changed while it was sent (${fileSize} → ${sent} bytes)` }, 'Cannot upload', part.path);
        if (beforeClose || watcher) {
          // What was sent is one file, untouched from open to end: the caller compares it with what it checked.
          const read = identityOf(await fh.stat());
          if (read.ino !== opened.ino || read.size !== opened.size || read.mtimeMs !== opened.mtimeMs) throw fsFailure({ message: 'it changed while it was sent' }, 'Cannot upload', part.path);
          const sha256 = watcher ? await watcher.end(read) : hash?.digest('hex');
          ended = true;
          await beforeClose?.({ ...read, sha256: sha256! });
        }
        await write(tail);
      } finally {
        if (!ended) watcher?.stop();
        // A read still under way ends before its descriptor is closed.
        await next?.catch(() => undefined);
        await Promise.all(inUse.map((u) => u?.catch(() => undefined)));
        await fh.close();
      }
    },
  };
}
