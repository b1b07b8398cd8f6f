// Errors are values: a code, a message for people and, where it applies, the place
// they refer to. They cross the IPC and HTTP boundaries unchanged.

/** Every error code; `ErrorCode` is one of these. */
export const errorCodes = [
  'invalid-input', // the call's arguments failed the contract's schema
  'forbidden', // sender or token not trusted
  'not-found', // a file or folder the call names does not exist
  'exists', // refusing to overwrite
  'not-a-service', // folder without meta/config.yaml
  'not-a-bundle', // folder that is neither a service tree nor a deployment bundle (or both)
  'invalid-config', // config.yaml has errors
  'io', // the filesystem refused
  'conflict', // the file changed on disk since it was read
  'unsupported', // not available in this mode (e.g. native dialogs in browser mode)
  'credentials', // certificate or key problem
  'wrong-password',
  'cancelled',
  'bundle', // a bundle failed to build or verify
  'busy', // too much at once (browser mode's request budget); try again
  'disconnected', // browser mode: the page lost its server (stopped or gone); nothing was done
  'network', // the cloud could not be reached or the connection broke (worth retrying later)
  'tls', // the TLS handshake with the cloud failed (certificates on either side)
  'unauthorized', // the cloud answered 401 or 403: certificate not accepted or role missing
  'rejected', // the cloud answered with another error status (its messages attached)
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** Dotted key path inside the file, when the error concerns a key. */
  path?: string;
}

export interface AppError {
  code: ErrorCode;
  message: string;
  location?: Location;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, location?: Location): { ok: false; error: AppError } => ({
  ok: false,
  error: location ? { code, message, location } : { code, message },
});

/** An exception that carries an AppError, for code paths where throwing is clearer. */
export class AppFailure extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'AppFailure';
  }
}

export function appError(code: ErrorCode, message: string, location?: Location): AppFailure {
  return new AppFailure(location ? { code, message, location } : { code, message });
}

/**
 * What a file-system error code means, in words: the real cause, so that a read-only disk
 * or a full one is never reported as "not found".
 */
const ERRNO_CAUSES: Record<string, string> = {
  ENOENT: 'it does not exist',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is too large for this file system',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EIO: 'input/output error (the disk or device failed)',
  EBUSY: 'the file or device is busy',
  ETXTBSY: 'the file is busy (a running program)',
  EXDEV: 'it is on another file system',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EILSEQ: 'the name is not valid in this file system\'s encoding',
};

/** The failed system call (Node's `syscall`) as the action a message names. */
const SYSCALL_ACTIONS: Record<string, string> = {
  open: 'Cannot open',
  read: 'Cannot read',
  write: 'Cannot write',
  mkdir: 'Cannot create the folder',
  rename: 'Cannot rename onto',
  unlink: 'Cannot remove',
  rmdir: 'Cannot remove',
  stat: 'Cannot look up',
  lstat: 'Cannot look up',
  scandir: 'Cannot list',
  opendir: 'Cannot list',
  copyfile: 'Cannot copy',
};

/** Whether an errno code describes a missing file (the 'not-found' code) rather than a refusal. */
const MISSING = new Set(['ENOENT']);

export function errnoCause(code: string): string | undefined {
  return ERRNO_CAUSES[code];
}

/**
 * A file-system error as an AppFailure naming the action, the path and the real cause, e.g.
 * `Cannot write /mnt/ro/service.tar.gz: the file system is read-only (EROFS).`
 * `action` is what was being done ('Cannot write', 'Cannot read the password file').
 */
export function fsFailure(err: unknown, action: string, fallbackPath?: string, location?: Partial<Location>): AppFailure {
  if (err instanceof AppFailure) return err;
  const e = (err ?? {}) as NodeJSErrorLike & { message?: string };
  const code = typeof e.code === 'string' ? e.code : undefined;
  // A failed rename names both paths; the destination is the one people asked for.
  const where = fallbackPath ?? e.dest ?? e.path;
  const cause = code ? `${ERRNO_CAUSES[code] ?? 'the system refused'} (${code})` : (e.message ?? String(err));
  const errorCode: ErrorCode = code && MISSING.has(code) ? 'not-found' : code === 'EEXIST' ? 'exists' : 'io';
  const file = location?.file ?? where;
  return appError(errorCode, `${action}${where ? ` ${where}` : ''}: ${cause}.`, file ? { ...location, file } : undefined);
}

/** Turns anything thrown into an AppError without leaking stack traces to the user. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure) return err.error;
  const e = err as NodeJSErrorLike;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    if (e.code === 'ABORT_ERR') return { code: 'cancelled', message: 'Cancelled.' };
    if (e.code === 'ENOENT') return { code: 'not-found', message: `Not found: ${e.path ?? 'file'}` };
    if (e.code === 'EEXIST') return { code: 'exists', message: `Already exists: ${e.path ?? 'file'}` };
    if (ERRNO_CAUSES[e.code]) return fsFailure(err, SYSCALL_ACTIONS[e.syscall ?? ''] ?? 'Cannot access', e.path ?? 'file').error;
  }
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

interface NodeJSErrorLike {
  code?: unknown;
  path?: string;
  dest?: string;
  syscall?: string;
}
