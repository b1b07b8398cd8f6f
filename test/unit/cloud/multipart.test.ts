// The multipart body of an upload announces its length (Content-Length) before the file is
// read. A file that grows while it is sent must never put more file bytes on the wire than
// announced: the cloud reads Content-Length bytes as the whole body, so bytes past the file's
// announced size take the place of the closing boundary that upload holds back until its
// check has passed, and a lenient multipart parser (the fake cloud's, many real ones) stores
// the part although the check refused it and the body was "cut".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { multipartFile } from '../../../src/main/core/cloud/multipart';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('bs-multipart-');

async function sendAll(file: string, grow: (file: string) => Promise<void>, beforeClose?: () => Promise<void>) {
  const body = await multipartFile({ field: 'file', filename: 'service.tar.gz', contentType: 'application/gzip', path: file });
  await grow(file);
  const written: Buffer[] = [];
  const outcome = await body.send(async (c) => void written.push(Buffer.from(c)), undefined, beforeClose).then(
    () => 'ended',
    (e: Error) => e.message,
  );
  return { body, wire: Buffer.concat(written), outcome };
}

describe('multipartFile: a file that changes size while it is sent', () => {
  it.each([
    ['one chunk', 1000],
    ['several chunks', (2 << 20) + 12_345],
  ])('grown after the length was announced (%s): no more than the announced bytes go out, and the body does not end', async (_what, size) => {
    const file = path.join(tmp.path, 'bundle.tar.gz');
    await fs.writeFile(file, Buffer.alloc(size, 0x41));
    // More than the closing boundary's length: with them the wire holds Content-Length bytes.
    const { body, wire, outcome } = await sendAll(file, (f) => fs.appendFile(f, Buffer.alloc(4096, 0x42)));
    expect(outcome).toMatch(/size changed/);
    // Never a complete body (Content-Length bytes) without its closing boundary.
    expect(wire.length).toBeLessThan(body.length);
    expect(wire.includes(0x42)).toBe(false);
  });

  it('grown, with a beforeClose check: the check is never reached, the body does not end', async () => {
    const file = path.join(tmp.path, 'bundle.tar.gz');
    await fs.writeFile(file, Buffer.alloc(5000, 0x41));
    const beforeClose = vi.fn(async () => undefined);
    const { body, wire, outcome } = await sendAll(file, (f) => fs.appendFile(f, Buffer.alloc(100, 0x42)), beforeClose);
    expect(outcome).toMatch(/size changed|changed while it was sent/);
    expect(beforeClose).not.toHaveBeenCalled();
    expect(wire.length).toBeLessThan(body.length);
  });

  it('shrunk: the body does not end either', async () => {
    const file = path.join(tmp.path, 'bundle.tar.gz');
    await fs.writeFile(file, Buffer.alloc(5000, 0x41));
    const { body, wire, outcome } = await sendAll(file, (f) => fs.truncate(f, 4000));
    expect(outcome).toMatch(/size changed/);
    expect(wire.length).toBeLessThan(body.length);
  });

  it('unchanged: the whole body, Content-Length bytes, ending with the closing boundary', async () => {
    const file = path.join(tmp.path, 'bundle.tar.gz');
    await fs.writeFile(file, Buffer.alloc((1 << 20) * 2, 0x41));
    const { body, wire, outcome } = await sendAll(file, async () => undefined);
    expect(outcome).toBe('ended');
    expect(wire.length).toBe(body.length);
    expect(wire.subarray(-8).toString()).toMatch(/--\r\n$/);
  });
});
