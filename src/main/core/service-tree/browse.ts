// The folder browser browser mode uses where Electron would show a native dialog.
import { readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { configPathOf } from './layout';

export interface BrowseEntry {
  name: string;
  kind: 'directory' | 'file';
  isService: boolean;
}

export interface BrowseOptions {
  showFiles?: boolean;
  /** File extensions to list (without dot); all files when empty. */
  extensions?: readonly string[];
}

export async function browseFolder(path: string, options: BrowseOptions = {}): Promise<{ path: string; parent: string | null; entries: BrowseEntry[] }> {
  let dir = resolve(path);
  if (!(await stat(dir)).isDirectory()) dir = dirname(dir);
  const found = await readdir(dir, { withFileTypes: true });
  const wanted = new Set((options.extensions ?? []).map((e) => e.toLowerCase().replace(/^\./, '')));
  const entries: BrowseEntry[] = [];
  for (const d of found) {
    if (d.name.startsWith('.') && d.name !== '.aos') continue;
    let isDir = d.isDirectory();
    if (d.isSymbolicLink()) isDir = await stat(join(dir, d.name)).then((s) => s.isDirectory(), () => false);
    if (isDir) {
      entries.push({ name: d.name, kind: 'directory', isService: existsSync(configPathOf(join(dir, d.name))) });
    } else if (options.showFiles && (wanted.size === 0 || wanted.has(extname(d.name).slice(1).toLowerCase()))) {
      entries.push({ name: d.name, kind: 'file', isService: false });
    }
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries };
}
