// A multipart/form-data body with one file part, streamed from disk: the bundle is read in
// 1 MiB chunks and each is written only when the connection took the previous one, so memory
// stays flat whatever the size. Its length is known up front (Content-Length), which lets
// the cloud refuse an oversized upload before it is sent and lets progress show a total.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
  /** Writes the whole body through `write`, reporting the file bytes sent so far. */
  send(write: (chunk: Buffer) => Promise<void>, onFileBytes?: (sent: number) => void): Promise<void>;
}

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
    async send(write, onFileBytes) {
      await write(head);
      let sent = 0;
      const stream = createReadStream(part.path, { highWaterMark: CHUNK });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          await write(chunk);
          sent += chunk.length;
          onFileBytes?.(sent);
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code) throw fsFailure(e, 'Cannot read the bundle', part.path);
        throw e;
      } finally {
        stream.destroy();
      }
      // A file that changed size since the length was announced would corrupt the body.
      if (sent !== fileSize) throw fsFailure({ message: `its size changed while it was sent (${fileSize} → ${sent} bytes)` }, 'Cannot upload', part.path);
      await write(tail);
    },
  };
}
