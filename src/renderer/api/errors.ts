// A failed API call as an exception: the AppError (code, message, location) travels with it
// so that screens can branch on `error.code` ('unsupported', 'conflict', 'wrong-password'...).
import type { AppError } from '../../shared/errors';

export class ApiError extends Error {
  readonly code: AppError['code'];
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
  }
}

/** The AppError behind anything thrown (an ApiError, or an unexpected exception). */
export function errorOf(err: unknown): AppError {
  if (err instanceof ApiError) return err.error;
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export function isApiError(err: unknown, code?: AppError['code']): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}
