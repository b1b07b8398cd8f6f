// The one reader of config files (meta/config.yaml, and a deployment bundle's config.yaml): validate, opening a service, save, preview and sign
// all come through here, so they refuse the same files with the same words. It opens without
// blocking (a FIFO named config.yaml must not hang the app), insists on a regular file, and
// reads at most CONFIG_MAX_BYTES + 1 bytes whatever the file claims to be (a device or a
// growing file never fills memory). Encoding and NUL checks are the parse step's, so the
// editor reports them too.
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { appError, fsFailure, type AppFailure } from '../../../shared/errors';
import { CONFIG_MAX_BYTES, CONFIG_MAX_TEXT } from '../../../shared/config-common/limits';
import { configPathOf } from './layout';

export interface ConfigFile {
  /** The service (or bundle) root, absolute. */
  root: string;
  configPath: string;
  /** The file's exact bytes (the bundle ships byte-identical copies). */
  bytes: Buffer;
  /** The bytes as UTF-8 (invalid sequences become U+FFFD, which the parse step reports). */
  text: string;
  mtimeMs: number;
}

function tooLarge(configPath: string, size: string, what: string): never {
  throw appError('invalid-config', `${configPath} is ${size}; ${what} may be at most ${CONFIG_MAX_TEXT} (a real one is a few KB).`, {
    file: configPath,
    line: 1,
    column: 1,
  });
}

export async function readConfigFile(dir: string): Promise<ConfigFile> {
  const root = resolve(dir);
  return readConfigFileAt(root, configPathOf(root), {
    what: 'a service config',
    missing: (configPath) => appError('not-a-service', `${root} is not a service tree: ${configPath} is missing. Create one with init.`, { file: configPath }),
    folder: (configPath) => appError('not-a-service', `${root} is not a service tree: ${configPath} is a folder, not a file.`, { file: configPath }),
  });
}

export interface ConfigFileKind {
  /** How the file is named in the size message, e.g. 'a service config'. */
  what: string;
  /** The error when the file does not exist. */
  missing: (configPath: string) => AppFailure;
  /** The error when the path is a folder. */
  folder: (configPath: string) => AppFailure;
}

/**
 * Reads a config file of either kind (`meta/config.yaml` of a service tree, `config.yaml`
 * of a deployment bundle) with the same guards: no blocking open, a regular file only,
 * at most CONFIG_MAX_BYTES.
 */
export async function readConfigFileAt(root: string, configPath: string, kind: ConfigFileKind): Promise<ConfigFile> {
  let fh: FileHandle;
  try {
    fh = await fs.open(configPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw kind.missing(configPath);
    throw fsFailure(e, 'Cannot read', configPath);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw kind.folder(configPath);
    if (!st.isFile()) throw appError('invalid-config', `${configPath} is not a regular file (a device, FIFO or socket); config.yaml must be a text file.`, { file: configPath });
    if (st.size > CONFIG_MAX_BYTES) tooLarge(configPath, `${st.size} bytes`, kind.what);
    // One byte more than the cap tells a file that grew since the stat from one at the cap.
    const buf = Buffer.allocUnsafe(CONFIG_MAX_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await fh.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > CONFIG_MAX_BYTES) tooLarge(configPath, `more than ${CONFIG_MAX_BYTES} bytes`, kind.what);
    const bytes = Buffer.from(buf.subarray(0, length));
    return { root, configPath, bytes, text: bytes.toString('utf8'), mtimeMs: st.mtimeMs };
  } catch (e) {
    throw fsFailure(e, 'Cannot read', configPath);
  } finally {
    await fh.close();
  }
}
