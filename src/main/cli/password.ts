// Where a command's password comes from: --password-env VAR, --password-file FILE, or a
// prompt on the terminal (only when stdin is one). The password is never printed, and
// messages built here never contain it.
import { open, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AppFailure, appError, fsFailure } from '../../shared/errors';
import { UsageError, type CliIo } from './io';
import { promptHidden } from './prompt';

export const PASSWORD_OPTIONS = {
  'password-env': { type: 'string' },
  'password-file': { type: 'string' },
} as const;

/** The most a password file may hold: a password is a few dozen bytes, a PEM pass phrase no more. */
export const PASSWORD_FILE_MAX_BYTES = 4096;

/** How many passwords a person may type before the command gives up. */
export const PROMPT_TRIES = 3;

export interface PasswordSource {
  /** The password given on the command line's behalf (env var or file); undefined if none. */
  password?: string;
  /** Where it came from, for messages: `$VAR` or the file name. */
  origin?: string;
}

/** Reads --password-env / --password-file (mutually exclusive: a usage error). */
export async function passwordFromOptions(values: { 'password-env'?: string; 'password-file'?: string }, io: CliIo): Promise<PasswordSource> {
  const envName = values['password-env'];
  const file = values['password-file'];
  if (envName !== undefined && file !== undefined) throw new UsageError('give either --password-env or --password-file, not both');
  if (envName !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) throw new UsageError(`--password-env takes the name of an environment variable, got "${envName}"`);
    const value = io.env[envName];
    if (value === undefined) throw appError('invalid-input', `The environment variable ${envName} (--password-env) is not set.`);
    return { password: value, origin: `$${envName}` };
  }
  if (file !== undefined) {
    const path = resolve(io.cwd, file);
    const text = await readPasswordFile(path);
    // One trailing newline is the file's, not the password's (echo "secret" > file).
    return { password: text.replace(/\r?\n$/, ''), origin: basename(path) };
  }
  return {};
}

/**
 * Reads at most PASSWORD_FILE_MAX_BYTES of a password file. A pipe is fine (`<(pass show x)`
 * is one); a device such as /dev/zero, a log file named by mistake or a folder is refused
 * after a few KB at most, and no message ever quotes what was read.
 */
export async function readPasswordFile(path: string): Promise<string> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fsFailure(e, 'Cannot read the password file', path);
  }
  try {
    const buf = Buffer.alloc(PASSWORD_FILE_MAX_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      // Position null: read on from where we are, which is what a pipe or device allows.
      const { bytesRead } = await fh.read(buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > PASSWORD_FILE_MAX_BYTES) {
      throw appError('invalid-input', `The password file ${path} holds more than ${PASSWORD_FILE_MAX_BYTES} bytes; it should hold only the password (and perhaps a newline).`, { file: path });
    }
    const text = buf.toString('utf8', 0, length);
    buf.fill(0);
    return text;
  } catch (e) {
    throw fsFailure(e, 'Cannot read the password file', path);
  } finally {
    await fh.close();
  }
}

function isWrongPassword(e: unknown): e is AppFailure {
  return e instanceof AppFailure && e.error.code === 'wrong-password';
}

/**
 * Runs `attempt` with the password from `source`. On 'wrong-password': a password given by
 * option, or a run without a terminal, fails at once; on a terminal the user is asked, up to
 * PROMPT_TRIES times. The failure's message names the file and how to give the password.
 */
export async function withPassword<T>(io: CliIo, source: PasswordSource, attempt: (password: string | undefined) => Promise<T>): Promise<T> {
  try {
    return await attempt(source.password);
  } catch (e) {
    if (!isWrongPassword(e)) throw e;
    if (source.origin !== undefined || !io.interactive) throw explain(e, source);
    let last: AppFailure = e;
    const ask = io.promptPassword ?? ((q: string) => promptHidden(q, { output: io.stderr }));
    for (let i = 0; i < PROMPT_TRIES; i++) {
      const file = last.error.location?.file;
      const question = `${i > 0 ? 'Wrong password. ' : ''}Password for ${file ? basename(file) : 'the key'}: `;
      const typed = await ask(question);
      if (typed === undefined) throw appError('cancelled', 'No password given.');
      try {
        return await attempt(typed);
      } catch (again) {
        if (!isWrongPassword(again)) throw again;
        last = again;
      }
    }
    throw appError('wrong-password', `${last.error.message.replace(/\.$/, '')}: ${PROMPT_TRIES} wrong passwords, giving up.`, last.error.location);
  }
}

function explain(e: AppFailure, source: PasswordSource): AppFailure {
  const hint = source.origin
    ? ` (the password from ${source.origin} does not open it)`
    : ': pass the password with --password-env VAR or --password-file FILE (no terminal to ask on)';
  return appError('wrong-password', `${e.error.message.replace(/\.$/, '')}${hint}.`, e.error.location);
}
