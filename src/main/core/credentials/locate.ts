// Where a credential path from config.yaml points (spec §2): an absolute path must exist; a
// relative one is looked up next to config.yaml (in meta/), then in ~/.aos/security/.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appError, type Location } from '../../../shared/errors';

export interface LocateOptions {
  /** Folder holding config.yaml (meta/). */
  configDir: string;
  /** Home folder; defaults to os.homedir(). Injectable for tests. */
  homeDir?: string;
  /** Where the reference was written, for the error. */
  location?: Location;
}

/** Whether `p` is a regular file (following links); false when it does not exist. */
export async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

export function securityDir(homeDir = os.homedir()): string {
  return path.join(homeDir, '.aos', 'security');
}

/** The candidate places, in lookup order. */
export function credentialCandidates(ref: string, opts: LocateOptions): string[] {
  const home = opts.homeDir ?? os.homedir();
  if (ref.startsWith('~/') || ref.startsWith('~\\')) return [path.join(home, ref.slice(2))];
  if (path.isAbsolute(ref)) return [ref];
  return [path.resolve(opts.configDir, ref), path.join(securityDir(home), ref)];
}

export async function resolveCredentialPath(ref: string, opts: LocateOptions): Promise<string> {
  if (!ref || !ref.trim()) throw appError('credentials', 'No credential file is named.', opts.location);
  const candidates = credentialCandidates(ref, opts);
  for (const c of candidates) if (await isFile(c)) return c;
  const message =
    candidates.length === 1
      ? `Credential file "${ref}" not found at ${candidates[0]}.`
      : `Credential file "${ref}" not found: looked next to config.yaml (${candidates[0]}) and in ~/.aos/security (${candidates[1]}).`;
  throw appError('credentials', message, opts.location);
}
