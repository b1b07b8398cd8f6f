// The one reader of meta/config.yaml: validate, opening a service, save, preview and sign
// all come through here, so they refuse the same files with the same words. It opens without
// blocking (a FIFO named config.yaml must not hang the app), insists on a regular file, and
// reads at most CONFIG_MAX_BYTES + 1 bytes whatever the file claims to be (a device or a
// growing file never fills memory). Encoding and NUL checks are the parse step's, so the
// editor reports them too.
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { appError, fsFailure, type AppFailure } from '../../../shared/errors';
import { CONFIG_MAX_BYTES, CONFIG_MAX_TEXT } from '../../../shared/service-config';
import { configPathOf } from './layout';

export interface ConfigFile {
  /** The service root, absolute. */
  root: string;
  configPath: string;
  /** The file's exact bytes (the bundle ships byte-identical copies). */
  bytes: Buffer;
  /** The bytes as UTF-8 (invalid sequences become U+FFFD, which the parse step reports). */
  text: string;
  mtimeMs: number;
}

function tooLarge(configPath: string, size: string): never {
  throw appError('invalid-config', `${configPath} is ${size}; a service config may be at most ${CONFIG_MAX_TEXT} (a real one is a few KB).`, {
    file: configPath,
    line: 1,
    column: 1,
  });
}

export async function readConfigFile(dir: string): Promise<ConfigFile> {
  const root = resolve(dir);
  return readConfigFileAt(root, configPathOf(root), (why) => appError('not-a-service', `${root} is not a service tree: ${why}${why.endsWith('missing.') ? ' Create one with init.' : ''}`, { file: configPathOf(root) }));
}

/**
 * The same reader for a config at any place (a deployment bundle's `<dir>/config.yaml`):
 * `notThere` words the failure for a missing file or a folder in its place ("… is missing.",
 * "… is a folder, not a file.").
 */
export async function readConfigFileAt(root: string, configPath: string, notThere: (why: string) => AppFailure): Promise<ConfigFile> {
  let fh: FileHandle;
  try {
    fh = await fs.open(configPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notThere(`${configPath} is missing.`);
    throw fsFailure(e, 'Cannot read', configPath);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw notThere(`${configPath} is a folder, not a file.`);
    if (!st.isFile()) throw appError('invalid-config', `${configPath} is not a regular file (a device, FIFO or socket); config.yaml must be a text file.`, { file: configPath });
    if (st.size > CONFIG_MAX_BYTES) tooLarge(configPath, `${st.size} bytes`);
    // One byte more than the cap tells a file that grew since the stat from one at the cap.
    const buf = Buffer.allocUnsafe(CONFIG_MAX_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await fh.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > CONFIG_MAX_BYTES) tooLarge(configPath, `more than ${CONFIG_MAX_BYTES} bytes`);
    const bytes = Buffer.from(buf.subarray(0, length));
    return { root, configPath, bytes, text: bytes.toString('utf8'), mtimeMs: st.mtimeMs };
  } catch (e) {
    throw fsFailure(e, 'Cannot read', configPath);
  } finally {
    await fh.close();
  }
}
