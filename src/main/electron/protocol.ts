// The app:// protocol: the renderer is served from dist/renderer as
// app://bundle-studio/..., never from file://. Requests are mapped to files by a pure
// function that refuses anything that could leave the renderer folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle-studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The privileges protocol.registerSchemesAsPrivileged needs for app:// (before app ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const;

/** True for URLs on the app's own origin (app://bundle-studio/...). */
export function isAppUrl(raw: string): boolean {
  if (typeof raw !== 'string') return false;
  const lower = raw.slice(0, APP_ORIGIN.length + 1).toLowerCase();
  return lower === `${APP_ORIGIN}/` || raw.toLowerCase() === APP_ORIGIN;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type ResolvedRequest = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps an app:// URL to a file under `root`, or refuses it. Checks are made on the raw URL
 * text and again after percent-decoding, so `..`, `%2e%2e`, `%2f`, backslashes, NUL bytes,
 * absolute paths and drive letters never reach the filesystem.
 */
export function resolveRequestPath(root: string, rawUrl: string): ResolvedRequest {
  if (typeof rawUrl !== 'string' || !isAppUrl(rawUrl)) return { ok: false, status: 403 };
  let rest = rawUrl.slice(APP_ORIGIN.length);
  // Query and fragment never select a file.
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  if (rest === '' || rest === '/') rest = '/index.html';
  if (!rest.startsWith('/')) return { ok: false, status: 400 };
  const rel = rest.slice(1);

  if (/[\\\0]/.test(rel) || /%(00|5c|2f)/i.test(rel)) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return { ok: false, status: 400 };
  }
  // After decoding: no NUL, no backslash, no absolute path, no drive letter, no dot segments,
  // and no second layer of encoding (%252e) which is never legitimate for our file names.
  if (/[\\\0]/.test(decoded) || /%[0-9a-f]{2}/i.test(decoded)) return { ok: false, status: 400 };
  if (decoded.startsWith('/') || /^[a-zA-Z]:/.test(decoded)) return { ok: false, status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 400 };
  // `a//b` is refused; a trailing slash means the folder's index.html.
  if (segments.slice(0, -1).some((s) => s === '')) return { ok: false, status: 400 };
  if (segments[segments.length - 1] === '') segments[segments.length - 1] = 'index.html';

  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const relative = path.relative(base, file);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return { ok: false, status: 403 };
  return { ok: true, file };
}

function errorResponse(status: number, extraHeaders: Record<string, string>): Response {
  const text = status === 404 ? 'Not found' : status === 405 ? 'Method not allowed' : status === 403 ? 'Forbidden' : 'Bad request';
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders } });
}

function isInside(base: string, file: string): boolean {
  const relative = path.relative(base, file);
  return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export interface ProtocolHandlerOptions {
  /** The folder served, normally dist/renderer. */
  root: string;
  /** Headers added to every response (the CSP and friends). */
  headers?: Record<string, string>;
}

/** The function given to protocol.handle('app', ...). Uses the global Request/Response. */
export function createProtocolHandler(options: ProtocolHandlerOptions): (request: Request) => Promise<Response> {
  const headers = options.headers ?? {};
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405, headers);
    const resolved = resolveRequestPath(options.root, request.url);
    if (!resolved.ok) return errorResponse(resolved.status, headers);
    try {
      // Follow symlinks, then check again that the real file is inside the real root.
      const [base, real] = await Promise.all([fs.realpath(options.root), fs.realpath(resolved.file)]);
      if (!isInside(base, real)) return errorResponse(403, headers);
      const stat = await fs.stat(real);
      if (!stat.isFile()) return errorResponse(404, headers);
      const body = request.method === 'HEAD' ? null : await fs.readFile(real);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': mimeTypeFor(real),
          'Content-Length': String(stat.size),
          'Cache-Control': 'no-cache',
          ...headers,
        },
      });
    } catch {
      return errorResponse(404, headers);
    }
  };
}

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Registers the app:// handler on a session's protocol object (after app ready). */
export function registerAppProtocol(protocol: ProtocolLike, options: ProtocolHandlerOptions): void {
  protocol.handle(APP_SCHEME, createProtocolHandler(options));
}
