// Errors are values: a code, a message for people and, where it applies, the place
// they refer to. They cross the IPC and HTTP boundaries unchanged.

/** Every error code; `ErrorCode` is one of these. */
export const errorCodes = [
  'invalid-input', // the call's arguments failed the contract's schema
  'forbidden', // sender or token not trusted
  'not-found', // a file or folder the call names does not exist
  'exists', // refusing to overwrite
  'not-a-service', // folder without meta/config.yaml
  'invalid-config', // config.yaml has errors
  'io', // the filesystem refused
  'conflict', // the file changed on disk since it was read
  'unsupported', // not available in this mode (e.g. native dialogs in browser mode)
  'credentials', // certificate or key problem
  'wrong-password',
  'cancelled',
  'bundle', // a bundle failed to build or verify
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

/** Turns anything thrown into an AppError without leaking stack traces to the user. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure) return err.error;
  const e = err as NodeJSErrorLike;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    if (e.code === 'ENOENT') return { code: 'not-found', message: `Not found: ${e.path ?? 'file'}` };
    if (e.code === 'EEXIST') return { code: 'exists', message: `Already exists: ${e.path ?? 'file'}` };
    if (e.code === 'EACCES' || e.code === 'EPERM') return { code: 'io', message: `Permission denied: ${e.path ?? 'file'}` };
    if (e.code === 'ABORT_ERR') return { code: 'cancelled', message: 'Cancelled.' };
  }
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

interface NodeJSErrorLike {
  code?: unknown;
  path?: string;
}
