// Path helpers for display and for joining what the user typed. Main resolves and checks
// every path; the renderer only needs to show "parent/name" with the platform's separator.

export function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function joinPath(parent: string, name: string): string {
  const p = parent.trim();
  const n = name.trim();
  if (!p) return n;
  if (!n) return p;
  const sep = separatorOf(p);
  return p.endsWith('/') || p.endsWith('\\') ? p + n : p + sep + n;
}

export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

/** `src/` relative paths are POSIX. */
export function joinSrcPath(dir: string, name: string): string {
  return dir ? `${dir.replace(/\/+$/, '')}/${name}` : name;
}

export function parentSrcPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '';
}
