// Browser mode: the renderer build and the API over HTTP on loopback only. Every /api
// request must carry the per-run token, checked before any routing; the Host and Origin
// headers must name this server, so a web page elsewhere cannot reach it (DNS rebinding).
//
// The token never goes on a command line: the browser we start is handed a one-time code
// (issueCode, in a file only the user can read, see launch-page.ts), which the page trades
// once for the token at POST /api/session. Request bodies are counted as they stream in,
// against a cap per request and a cap over all requests in flight (413 / 503). Every
// response, errors and 404s included, carries the same security headers.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { EventName, EventPayload } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { dispatch, type Handlers } from '../api/handlers';
import { RENDERER_CSP } from '../security/csp';
import { mimeTypeOf, resolveStaticFile } from './static-files';

export interface UiServerOptions {
  rendererDir: string;
  /** Built with `emit` wired to this server's event stream; `cancelJobs` and `stopWatches` run when the server stops. */
  createHandlers: (emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void) => Handlers & { cancelJobs?(): number; stopWatches?(): number };
  port?: number;
  token?: string;
  /** Largest request body accepted (files dropped into src/ travel as base64). */
  maxBodyBytes?: number;
  /** Most body bytes held over all requests in flight; a request beyond it is answered 503. */
  maxTotalBodyBytes?: number;
  /** How long a one-time code from issueCode stays redeemable (default 2 minutes). */
  codeTtlMs?: number;
  /** Stop by itself after this long without a request (tests); off by default. */
  idleTimeoutMs?: number;
}

export interface OneTimeCode {
  code: string;
  /** The page URL carrying the code (in the fragment, so it is never sent in a request line). */
  url: string;
  /** Settles once the code is dead: redeemed, expired or the server closed. */
  spent: Promise<'redeemed' | 'expired' | 'closed'>;
}

export interface UiServer {
  /** For the user's own terminal: the page URL with the session token (in the fragment). */
  url: string;
  port: number;
  token: string;
  /** A single-use, short-lived code the page exchanges for the token (POST /api/session). */
  issueCode(): OneTimeCode;
  /** Body bytes currently held by requests in flight (diagnostics and tests). */
  readonly bodyBytesInUse: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** The only body /api/session takes: {"code": "..."}. */
const SESSION_BODY_MAX = 1024;

/** The headers every response carries, 200 or error, static file or JSON. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

type Status = 400 | 401 | 403 | 404 | 405 | 413 | 500 | 503;

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const maxBody = options.maxBodyBytes ?? 256 * 1024 * 1024;
  const maxTotal = Math.max(options.maxTotalBodyBytes ?? 512 * 1024 * 1024, maxBody);
  const codeTtl = options.codeTtlMs ?? 120_000;
  const streams = new Set<ServerResponse>();
  /** One-time codes by their SHA-256, so a lookup reveals nothing about a code through timing. */
  const codes = new Map<string, { settle: (how: 'redeemed' | 'expired' | 'closed') => void; timer: NodeJS.Timeout }>();
  let bodyBytesInUse = 0;
  let port = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const res of streams) res.write(frame);
  };
  const handlers = options.createHandlers(emit);

  const tokenOk = (req: IncomingMessage, url: URL): boolean => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token') ?? '';
    const bytes = Buffer.from(given);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const hostOk = (req: IncomingMessage): boolean => {
    const allowed = [`${HOST}:${port}`, `localhost:${port}`];
    if (!allowed.includes(req.headers.host ?? '')) return false;
    const origin = req.headers.origin;
    return origin === undefined || allowed.some((a) => origin === `http://${a}`);
  };
  const codeKey = (code: string) => createHash('sha256').update(code).digest('base64url');

  function issueCode(): OneTimeCode {
    const code = randomBytes(32).toString('base64url');
    const key = codeKey(code);
    let settle!: (how: 'redeemed' | 'expired' | 'closed') => void;
    const spent = new Promise<'redeemed' | 'expired' | 'closed'>((resolve) => (settle = resolve));
    const timer = setTimeout(() => kill(key, 'expired'), codeTtl);
    timer.unref();
    codes.set(key, { settle, timer });
    return { code, url: `http://${HOST}:${port}/#code=${code}`, spent };
  }
  function kill(key: string, how: 'redeemed' | 'expired' | 'closed'): boolean {
    const entry = codes.get(key);
    if (!entry) return false;
    codes.delete(key);
    clearTimeout(entry.timer);
    entry.settle(how);
    return true;
  }

  const server = createServer((req, res) => {
    bumpIdle();
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, 'internal', err instanceof Error ? err.message : 'Internal error');
      else res.end();
    });
  });
  // Requests Node's parser refuses (bad request line, bad headers) get the same headers too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const body = JSON.stringify({ ok: false, error: { code: 'invalid-input', message: 'Malformed HTTP request.' } });
    const headers = { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
    socket.end(`HTTP/1.1 400 Bad Request\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return fail(res, 403, 'forbidden', 'Wrong host or origin.');
    const url = parseRequestUrl(req.url);
    if (!url) return fail(res, 400, 'invalid-input', 'Malformed URL.');

    if (url.pathname === '/api/session') return redeem(req, res);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      // The token check comes before any routing: an unauthenticated caller learns nothing.
      if (!tokenOk(req, url)) return fail(res, 401, 'forbidden', 'Missing or wrong token: open the URL that `aos-bundle ui` printed.');
      if (url.pathname === '/api/events') return openEventStream(res);
      if (req.method !== 'POST') return fail(res, 405, 'invalid-input', 'Use POST.');
      const body = await readBody(req, res, maxBody);
      if (!body) return;
      try {
        let input: unknown;
        try {
          input = body.bytes.length ? JSON.parse(body.bytes.toString('utf8')) : {};
        } catch {
          return fail(res, 400, 'invalid-input', 'The request body is not JSON.');
        }
        const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
        return sendJson(res, 200, await dispatch(handlers, channel, input));
      } finally {
        body.release();
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'invalid-input', 'Method not allowed.');
    const file = await resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Not found');
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeTypeOf(file) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  /** POST /api/session {"code"}: the token, once per code; then the code is dead. */
  async function redeem(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return fail(res, 405, 'invalid-input', 'Use POST.');
    const body = await readBody(req, res, SESSION_BODY_MAX);
    if (!body) return;
    body.release();
    let code: unknown;
    try {
      code = (JSON.parse(body.bytes.toString('utf8')) as { code?: unknown } | null)?.code;
    } catch {
      return fail(res, 400, 'invalid-input', 'The request body is not JSON.');
    }
    if (typeof code !== 'string' || !kill(codeKey(code), 'redeemed')) {
      return fail(res, 401, 'forbidden', 'This link was already used or has expired: open the URL that `aos-bundle ui` printed.');
    }
    return sendJson(res, 200, { ok: true, value: { token } });
  }

  /**
   * Reads a body as it streams in, counting it against `max` for this request and against
   * the total over all requests in flight. Null when it was refused (the reply is sent:
   * 413 too large, 503 too much at once); otherwise `release` gives the bytes back.
   */
  async function readBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<{ bytes: Buffer; release: () => void } | null> {
    let held = 0;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      bodyBytesInUse -= held;
      held = 0;
    };
    const reserve = (n: number): boolean => {
      if (bodyBytesInUse + n > maxTotal) return false;
      bodyBytesInUse += n;
      held += n;
      return true;
    };
    const refuse = (status: 413 | 503) => {
      release();
      res.setHeader('Connection', 'close');
      if (status === 413) fail(res, 413, 'invalid-input', `Request too large (the limit is ${max} bytes).`);
      else fail(res, 503, 'busy', 'Too much data in flight at once; try again in a moment.', { 'Retry-After': '1' });
      // What the client still sends is read and dropped; the connection then goes.
      res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
      return null;
    };

    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared)) {
      if (declared > max) return refuse(413);
      if (!reserve(declared)) return refuse(503);
    }
    // Listeners rather than `for await`: leaving that loop early destroys the socket, and
    // with it the 413/503 reply on its way out.
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (value: { bytes: Buffer; release: () => void } | null) => {
        settled = true;
        resolve(value);
      };
      req.on('data', (chunk: Buffer) => {
        if (settled) return; // refused: the rest is read and dropped
        size += chunk.length;
        if (size > max) return settle(refuse(413));
        if (size > held && !reserve(size - held)) return settle(refuse(503));
        chunks.push(chunk);
      });
      req.once('end', () => {
        if (!settled) settle({ bytes: Buffer.concat(chunks, size), release });
      });
      req.once('error', (err) => {
        if (settled) return;
        settled = true;
        release();
        reject(err);
      });
      req.once('close', () => {
        // The client went away mid-body: nothing to answer, give the bytes back.
        if (!settled) {
          release();
          settle(null);
        }
      });
    });
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  function bumpIdle(): void {
    if (!options.idleTimeoutMs) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void close(), options.idleTimeoutMs);
    idleTimer.unref();
  }

  async function close(): Promise<void> {
    if (idleTimer) clearTimeout(idleTimer);
    for (const key of [...codes.keys()]) kill(key, 'closed');
    // Nobody is left to follow the jobs: stop them (signing leaves no partial file).
    handlers.cancelJobs?.();
    handlers.stopWatches?.();
    for (const res of streams) res.end();
    streams.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  bumpIdle();
  return {
    url: `http://${HOST}:${port}/#token=${encodeURIComponent(token)}`,
    port,
    token,
    issueCode,
    get bodyBytesInUse() {
      return bodyBytesInUse;
    },
    close,
  };
}

/**
 * The request target as a URL, or null when it is not a path this server can serve: not
 * origin-form (absolute-form, `*`, `//host`), or with percent-escapes that do not decode
 * (e.g. /%E0%A4%A).
 */
export function parseRequestUrl(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    const url = new URL(`http://${HOST}${target}`);
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return null;
  }
}

function fail(res: ServerResponse, status: Status, code: ErrorCode, message: string, extra: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error: { code, message } }, extra);
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, ...extra, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}
