// Serving the renderer build: only files inside its folder, with the right types.
import { stat } from 'node:fs/promises';
import { extname, join, normalize, relative, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file inside `root`, or null when it would leave it (.., encoded
 * dots, backslashes, NUL) or names nothing. Unknown paths without an extension fall back
 * to index.html so that the single-page app owns its routes.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const full = join(root, rel === '' || rel === '.' ? 'index.html' : rel);
  const back = relative(root, full);
  if (back.startsWith('..') || back.split(sep).includes('..')) return null;
  const found = await stat(full).then((s) => (s.isFile() ? full : null), () => null);
  if (found) return found;
  return extname(rel) === '' ? join(root, 'index.html') : null;
}
