// Browser mode: the renderer build and the API over HTTP on loopback only. Every /api
// request must carry the per-run token, checked before any routing; the Host and Origin
// headers must name this server, so a web page elsewhere cannot reach it (DNS rebinding).
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { EventName, EventPayload } from '../../shared/contract';
import { dispatch, type Handlers } from '../api/handlers';
import { RENDERER_CSP } from '../security/csp';
import { mimeTypeOf, resolveStaticFile } from './static-files';

export interface UiServerOptions {
  rendererDir: string;
  /** Built with `emit` wired to this server's event stream; `cancelJobs` runs when the server stops. */
  createHandlers: (emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void) => Handlers & { cancelJobs?(): number };
  port?: number;
  token?: string;
  /** Largest request body accepted (files dropped into src/ travel as base64). */
  maxBodyBytes?: number;
  /** Stop by itself after this long without a request (tests); off by default. */
  idleTimeoutMs?: number;
}

export interface UiServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const maxBody = options.maxBodyBytes ?? 256 * 1024 * 1024;
  const streams = new Set<ServerResponse>();
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

  const server = createServer((req, res) => {
    bumpIdle();
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : 'Internal error' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (!hostOk(req)) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Wrong host or origin.' } });

    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      // The token check comes before any routing: an unauthenticated caller learns nothing.
      if (!tokenOk(req, url)) return sendJson(res, 401, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong token.' } });
      if (url.pathname === '/api/events') return openEventStream(res);
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'invalid-input', message: 'Use POST.' } });
      const body = await readBody(req, maxBody);
      if (body === null) return sendJson(res, 413, { ok: false, error: { code: 'invalid-input', message: 'Request too large.' } });
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-input', message: 'The request body is not JSON.' } });
      }
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      return sendJson(res, 200, await dispatch(handlers, channel, input));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: 'invalid-input', message: 'Method not allowed.' } });
    const file = await resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Not found');
    }
    res.writeHead(200, {
      'Content-Type': mimeTypeOf(file),
      'Content-Security-Policy': RENDERER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
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
    // Nobody is left to follow the jobs: stop them (signing leaves no partial file).
    handlers.cancelJobs?.();
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
  return { url: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`, port, token, close };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
