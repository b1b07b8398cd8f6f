import { AppFailure } from '../../src/shared/errors';

/** The AppFailure a promise rejects with; fails the test when it resolves or throws anything else. */
export async function failureOf(p: Promise<unknown>): Promise<AppFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}
