// Problems of the source folder itself, found by its listing: entries a bundle cannot hold.
// Signing refuses them (bundle/archive.ts); listing them as errors next to the config's own
// problems says so before Build is clicked.
import type { Diagnostic } from './diagnostics';

type Kind = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'other';

const WHAT: Partial<Record<Kind, string>> = {
  fifo: 'a named pipe (FIFO)',
  socket: 'a socket',
  'char-device': 'a character device',
  'block-device': 'a block device',
};

/** At most this many are listed one by one; one more diagnostic counts the rest. */
export const MAX_SPECIAL_DIAGNOSTICS = 20;

/**
 * One error per special entry of the listing (`special` paths, relative to the source folder),
 * named as `<folder>/<path>`, e.g. `src/dev/tty`.
 */
export function specialFileDiagnostics(
  listing: { special: readonly string[]; entries: readonly { path: string; kind: Kind }[] },
  folder = 'src',
): Diagnostic[] {
  if (!listing.special.length) return [];
  const kinds = new Map(listing.entries.map((e) => [e.path, e.kind]));
  const shown = listing.special.slice(0, MAX_SPECIAL_DIAGNOSTICS);
  const out: Diagnostic[] = shown.map((path) => {
    const what = WHAT[kinds.get(path) ?? 'other'] ?? 'not a regular file, folder or symlink (or its name is not UTF-8)';
    return at(`${folder}/${path}`, `${folder}/${path} is ${what}: a bundle cannot hold it, so signing would fail. Remove it from ${folder}/.`);
  });
  const rest = listing.special.length - shown.length;
  if (rest > 0) out.push(at(`${folder}/`, `${rest} more special ${rest === 1 ? 'file' : 'files'} in ${folder}/ (devices, pipes, sockets): a bundle cannot hold them.`));
  return out;
}

function at(file: string, message: string): Diagnostic {
  return { severity: 'error', code: 'special-file', message, path: '', line: 0, column: 0, offset: 0, endOffset: 0, file };
}
