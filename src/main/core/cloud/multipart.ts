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
  send(write: (chunk: Buffer) => Promise<void>, onFileBytes?: (sent: number) => void, beforeClose?: (sent: SentFile) => Promise<void>): Promise<void>;
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
 * The file is read into two buffers of CHUNK bytes, in turn: the next chunk is read into one
 * while the other is with the connection, and a buffer is read into again only once the
 * connection is done with it. Nothing is allocated per chunk (no garbage to collect), and two
 * chunks of the file are in memory whatever its size.
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
    async send(write, onFileBytes, beforeClose) {
      let fh;
      try {
        fh = await open(part.path, 'r');
      } catch (e) {
        throw fsFailure(e, 'Cannot read the bundle', part.path);
      }
      // The read of the next chunk, into the buffer the connection is not using.
      let next: Promise<{ bytesRead: number }> | undefined;
      try {
        const opened = identityOf(await fh.stat());
        // Not waited for: the head is its own buffer, and the file's first chunk goes with it.
        const headWritten = write(head);
        headWritten.catch(() => undefined);
        const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
        let sent = 0;
        let current = 0;
        // Only where the caller compares what was sent with what it checked (one pass of
        // SHA-256 over the bytes as they go out: with SHA-NI, well under a second per GB).
        const hash = beforeClose ? createHash('sha256') : undefined;
        next = fh.read(buffers[0], 0, CHUNK, 0);
        for (;;) {
          let bytesRead: number;
          try {
            ({ bytesRead } = await next);
          } catch (e) {
            next = undefined;
            throw fsFailure(e, 'Cannot read the bundle', part.path);
          }
          if (bytesRead === 0) break;
          const buf = buffers[current];
          current ^= 1;
          // The other buffer's write is done (awaited below): the next chunk is read into it
          // while this one goes out.
          next = fh.read(buffers[current], 0, CHUNK, sent + bytesRead);
          next.catch(() => undefined);
          const chunk = bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead);
          hash?.update(chunk);
          await write(chunk);
          sent += bytesRead;
          onFileBytes?.(sent);
        }
        next = undefined;
        await headWritten;
        // A file that changed size since the length was announced would corrupt the body.
        if (sent !== fileSize) throw fsFailure({ message: `its size changed while it was sent (${fileSize} → ${sent} bytes)` }, 'Cannot upload', part.path);
        if (beforeClose) {
          // What was sent is one file, untouched from open to end: the caller compares it with what it checked.
          const read = identityOf(await fh.stat());
          if (read.ino !== opened.ino || read.size !== opened.size || read.mtimeMs !== opened.mtimeMs) throw fsFailure({ message: 'it changed while it was sent' }, 'Cannot upload', part.path);
          await beforeClose({ ...read, sha256: hash!.digest('hex') });
        }
        await write(tail);
      } finally {
        // A read still under way ends before its descriptor is closed.
        await next?.catch(() => undefined);
        await fh.close();
      }
    },
  };
}
