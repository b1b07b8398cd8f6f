// A file that changes while it is being archived fails the archive naming it: the tar header
// already holds its size, so a silently cut (or padded) entry would be a corrupt bundle.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tarStream } from '../../../src/main/core/bundle';
import { AppFailure } from '../../../src/shared/errors';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('bs-archive-changes-');

/**
 * Archives `root` in 512-byte chunks (one header per chunk), calling `meddle` once, right
 * after the chunk holding the header of `name`: between the lstat and the read of its content.
 */
async function archiveMeddling(root: string, name: string, meddle: () => Promise<void>): Promise<unknown> {
  let meddled = false;
  try {
    for await (const chunk of tarStream([{ kind: 'tree', name: './service/', root, symlinks: 'copy' }], { chunkSize: 512 })) {
      if (!meddled && chunk.subarray(0, 100).toString('latin1').startsWith(`./service/${name}\0`)) {
        meddled = true;
        await meddle();
      }
    }
  } catch (e) {
    if (!meddled) throw new Error(`the header of ${name} was never seen`);
    return e;
  }
  throw new Error(meddled ? 'the archive was written although the file changed' : `the header of ${name} was never seen`);
}

async function tree(): Promise<string> {
  const root = path.join(tmp.path, 'src');
  await fs.mkdir(root);
  await fs.writeFile(path.join(root, 'data.bin'), Buffer.alloc(64 * 1024, 7));
  await fs.writeFile(path.join(root, 'empty'), '');
  return root;
}

describe('tarStream and files that change meanwhile', () => {
  it('fails naming a file that grew, never cutting it to the listed size', async () => {
    const root = await tree();
    const file = path.join(root, 'data.bin');
    const e = await archiveMeddling(root, 'data.bin', () => fs.appendFile(file, 'more'));
    expect(e).toBeInstanceOf(AppFailure);
    expect((e as AppFailure).error).toEqual({
      code: 'bundle',
      message: `${file} changed while it was being archived: it was 65536 bytes when listed and is now 65540 bytes. Try again once nothing writes to it.`,
      location: { file },
    });
  });

  it('fails naming a file that shrank', async () => {
    const root = await tree();
    const file = path.join(root, 'data.bin');
    const e = (await archiveMeddling(root, 'data.bin', () => fs.truncate(file, 1000))) as AppFailure;
    expect(e.message).toContain(`${file} changed while it was being archived: it was 65536 bytes when listed and is now 1000 bytes`);
  });

  it('fails for an empty file that got content (no read needed for its header size)', async () => {
    const root = await tree();
    const file = path.join(root, 'empty');
    const e = (await archiveMeddling(root, 'empty', () => fs.writeFile(file, 'late'))) as AppFailure;
    expect(e.message).toContain('it was 0 bytes when listed and is now 4 bytes');
  });

  it('fails for a file swapped for a FIFO after its listing, without hanging on it', async () => {
    const root = await tree();
    const file = path.join(root, 'data.bin');
    const e = (await archiveMeddling(root, 'data.bin', async () => {
      await fs.rm(file);
      execFileSync('mkfifo', [file]);
    })) as AppFailure;
    expect(e.message).toContain('it was 65536 bytes when listed and is now a FIFO (named pipe)');
  });

  it('does not follow a file swapped for a symlink after its listing', async () => {
    const root = await tree();
    const file = path.join(root, 'data.bin');
    await fs.writeFile(path.join(tmp.path, 'secret'), Buffer.alloc(65536, 1));
    const e = await archiveMeddling(root, 'data.bin', async () => {
      await fs.rm(file);
      await fs.symlink(path.join(tmp.path, 'secret'), file);
    });
    expect((e as NodeJS.ErrnoException).code).toBe('ELOOP');
  });
  it('does not list or read through a folder swapped for a symlink after its listing', async () => {
    const root = path.join(tmp.path, 'src');
    await fs.mkdir(path.join(root, 'sub'), { recursive: true });
    await fs.writeFile(path.join(root, 'sub', 'a'), Buffer.alloc(1000, 7));
    const outside = path.join(tmp.path, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'a'), Buffer.alloc(1000, 0x53));
    await fs.writeFile(path.join(outside, 'secret'), 'a secret beside the tree');
    const e = (await archiveMeddling(root, 'sub/', async () => {
      await fs.rename(path.join(root, 'sub'), path.join(tmp.path, 'moved'));
      await fs.symlink(outside, path.join(root, 'sub'));
    })) as AppFailure;
    expect(e.message).toContain(`${path.join(root, 'sub')} changed while it was being archived: the folder was moved or replaced`);
  });

  it('does not read a file through a folder swapped for a symlink after the folder was listed', async () => {
    const root = path.join(tmp.path, 'src');
    await fs.mkdir(path.join(root, 'sub'), { recursive: true });
    await fs.writeFile(path.join(root, 'sub', 'a'), Buffer.alloc(1000, 7));
    await fs.writeFile(path.join(root, 'sub', 'b'), Buffer.alloc(1000, 7));
    const outside = path.join(tmp.path, 'outside');
    await fs.mkdir(outside);
    // Files of the same names and sizes there: without the folder check, they would be read.
    await fs.writeFile(path.join(outside, 'a'), Buffer.alloc(1000, 0x53));
    await fs.writeFile(path.join(outside, 'b'), Buffer.alloc(1000, 0x53));
    const e = (await archiveMeddling(root, 'sub/a', async () => {
      await fs.rename(path.join(root, 'sub'), path.join(tmp.path, 'moved'));
      await fs.symlink(outside, path.join(root, 'sub'));
    })) as AppFailure;
    expect(e.message).toContain(`${path.join(root, 'sub')} changed while it was being archived`);
  });

  it('opens a file a plan listed (deployment bundle, layer) only as the inode listed: a folder above it swapped for a symlink fails', async () => {
    const dir = path.join(tmp.path, 'bundle');
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
    const listed = path.join(dir, 'sub', 'a');
    await fs.writeFile(listed, Buffer.alloc(1000, 7));
    const { dev, ino } = await fs.lstat(listed);
    const outside = path.join(tmp.path, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'a'), Buffer.alloc(1000, 0x53));
    // The swap happens after the plan, before the archive opens the file.
    await fs.rename(path.join(dir, 'sub'), path.join(tmp.path, 'moved'));
    await fs.symlink(outside, path.join(dir, 'sub'));
    const read = async (parts: Parameters<typeof tarStream>[0]) => {
      for await (const chunk of tarStream(parts)) void chunk;
    };
    const e = await read([{ kind: 'file', name: './sub/a', path: listed, size: 1000, noFollow: true, identity: { dev, ino } }]).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppFailure);
    expect((e as AppFailure).message).toContain(`${listed} changed while it was being archived: it is not the file that was listed`);
    const exact = await read([{ kind: 'entries', entries: [{ path: './sub/a', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 1000, source: listed, identity: { dev, ino } }] }]).catch((err: unknown) => err);
    expect((exact as AppFailure).message).toContain('it is not the file that was listed');
    // Without a swap the same parts archive.
    await fs.rm(path.join(dir, 'sub'));
    await fs.rename(path.join(tmp.path, 'moved'), path.join(dir, 'sub'));
    await expect(read([{ kind: 'file', name: './sub/a', path: listed, size: 1000, noFollow: true, identity: { dev, ino } }])).resolves.toBeUndefined();
  });
});
