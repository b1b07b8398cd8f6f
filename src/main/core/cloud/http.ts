// One HTTPS exchange with the cloud over mutual TLS: connect (with a timeout), send a body
// (streamed: a chunk counts as written once the connection is done with it, which is the
// backpressure), read the answer (capped), all cancellable. Retries, status checks and
// messages are the caller's (client.ts); this file only moves bytes.
import http from 'node:http';
import { isIP } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { AppFailure, appError, fsFailure } from '../../../shared/errors';
import { ClientCertificateRefused, CloudTimeout, connectionFailure } from './failures';
import type { TlsIdentity } from './identity';

export interface Timeouts {
  /** From the start of the request to a finished TLS handshake. */
  connectMs: number;
  /** The most the connection may stay idle (nothing sent, nothing received). */
  stallMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = Object.freeze({ connectMs: 20_000, stallMs: 120_000 });

export interface Exchange {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string | number>;
  /**
   * Writes the body; resolves when all is written (req.end() is then called). Its `write`
   * resolves once the connection is done with the chunk (the caller may reuse its buffer).
   */
  body?: (write: (chunk: Buffer) => Promise<void>) => Promise<void>;
  identity: TlsIdentity;
  ca?: string[];
  timeouts?: Timeouts;
  signal?: AbortSignal;
  /** What the call is, for connection failure messages. */
  what: string;
}

export interface Answer {
  status: number;
  /** Parsed JSON when the body is JSON, else its text ('' when empty). */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const EXCHANGE_OVER = 'exchange over';

/** A JSON or text answer is a few KB; a larger one is cut here (and says so). */
const ANSWER_MAX_BYTES = 1 << 20;

function parseBody(buf: Buffer, contentType: string | undefined, truncated: boolean): unknown {
  const text = buf.toString('utf8');
  if (!truncated && (/json/i.test(contentType ?? '') || /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all: shown as text
    }
  }
  return truncated ? `${text}… (cut at ${ANSWER_MAX_BYTES} bytes)` : text;
}

/**
 * How long to wait, after a TLS 1.3 handshake, for the server's verdict on our certificate.
 * TLS 1.3 completes on the client's side before the server has checked the client
 * certificate; the server then sends either session tickets (accepted) or an alert
 * (refused). Writing the request before that turns a refusal into a bare "connection reset".
 */
const TLS13_VERDICT_MS = 1500;

/** The mutual-TLS connection, once the server has accepted (or refused) our certificate. */
function openTls(x: Exchange, host: string, timeouts: Timeouts): Promise<TLSSocket> {
  return new Promise<TLSSocket>((resolve, reject) => {
    if (x.signal?.aborted) return reject(appError('cancelled', 'Cancelled.'));
    const socket = tls.connect({
      host,
      port: x.url.port ? Number(x.url.port) : 443,
      key: x.identity.key,
      cert: x.identity.cert,
      ca: x.ca,
      // Server verification stays on: never rejectUnauthorized: false.
      rejectUnauthorized: true,
      servername: isIP(host) ? undefined : host,
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['http/1.1'],
    });
    // Errors after the hand-over are the request's; this keeps one in between from being unhandled.
    socket.on('error', () => undefined);
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => fail(new CloudTimeout('connect', timeouts.connectMs)), timeouts.connectMs);
    const cleanup = () => {
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      x.signal?.removeEventListener('abort', onAbort);
      socket.off('error', fail);
      socket.off('close', onClose);
    };
    const fail = (e: unknown) => {
      if (done) return;
      cleanup();
      socket.destroy();
      reject(e instanceof AppFailure ? e : connectionFailure(e, host, x.what));
    };
    const ready = () => {
      if (done) return;
      cleanup();
      resolve(socket);
    };
    const onAbort = () => fail(appError('cancelled', 'Cancelled.'));
    let awaitingVerdict = false;
    // Closed between our handshake and the server's verdict: the server dropped us on seeing our certificate.
    const onClose = () => fail(awaitingVerdict ? new ClientCertificateRefused() : new Error('socket hang up'));
    x.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('close', onClose);
    socket.once('secureConnect', () => {
      if (socket.getProtocol() !== 'TLSv1.3') return ready();
      awaitingVerdict = true;
      grace = setTimeout(ready, TLS13_VERDICT_MS);
      // Not from inside the callback: OpenSSL is still reading the ticket when it fires.
      socket.once('session', () => setImmediate(ready));
    });
  });
}

export async function exchange(x: Exchange): Promise<Answer> {
  const timeouts = x.timeouts ?? DEFAULT_TIMEOUTS;
  const host = x.url.hostname.replace(/^\[|\]$/g, '');
  const socket = await openTls(x, host, timeouts);
  return new Promise<Answer>((resolve, reject) => {
    if (x.signal?.aborted) {
      socket.destroy();
      return reject(appError('cancelled', 'Cancelled.'));
    }
    let settled = false;
    const finish = (err: unknown, answer?: Answer) => {
      if (settled) return;
      settled = true;
      x.signal?.removeEventListener('abort', onAbort);
      if (answer) resolve(answer);
      else reject(err);
    };
    // http over our own TLS socket: the request never opens a connection of its own.
    const req = http.request({
      host,
      port: x.url.port ? Number(x.url.port) : 443,
      path: `${x.url.pathname}${x.url.search}`,
      method: x.method,
      headers: { Accept: 'application/json', 'User-Agent': 'bundle-studio', ...x.headers },
      createConnection: () => socket,
    });
    const onAbort = () => {
      req.destroy();
      finish(appError('cancelled', 'Cancelled.'));
    };
    x.signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(timeouts.stallMs, () => req.destroy(new CloudTimeout('stall', timeouts.stallMs)));
    let answered = false;
    // Once the cloud has answered (it may answer before reading the whole body, e.g. a 503
    // or 413), a broken write is expected: the answer decides.
    req.on('error', (e) => {
      if (!answered) finish(connectionFailure(e, host, x.what));
    });
    req.on('response', (res) => {
      answered = true;
      res.on('close', () => {
        if (!res.complete) finish(connectionFailure(new Error('socket hang up'), host, x.what));
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (c: Buffer) => {
        if (size >= ANSWER_MAX_BYTES) {
          truncated = true;
          return;
        }
        chunks.push(c);
        size += c.length;
      });
      res.on('error', (e) => finish(connectionFailure(e, host, x.what)));
      res.on('end', () => {
        finish(undefined, { status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks), res.headers['content-type'], truncated), headers: res.headers });
        // The answer is all we need; a body still being sent is pointless now.
        req.destroy();
      });
    });

    if (!x.body) {
      req.end();
      return;
    }
    // Resolves once the connection is done with the chunk (its buffer may then be reused),
    // not merely queued: the body keeps a few chunks in flight and waits for each in turn,
    // which is the backpressure. A connection closed first rejects every chunk still out.
    const pending = new Set<(e: Error) => void>();
    req.once('close', () => {
      for (const ko of pending) ko(new Error(EXCHANGE_OVER));
      pending.clear();
    });
    const write = (chunk: Buffer): Promise<void> => {
      if (settled || req.destroyed) return Promise.reject(new Error(EXCHANGE_OVER));
      return new Promise<void>((ok, ko) => {
        pending.add(ko);
        req.write(chunk, (err) => {
          pending.delete(ko);
          if (err) ko(new Error(EXCHANGE_OVER));
          else ok();
        });
      });
    };
    x.body(write).then(
      () => {
        if (!settled) req.end();
      },
      (e: unknown) => {
        // The exchange ended first (answer, error, abort): that outcome stands. A write that
        // failed because the connection closed waits a turn, for the connection's own error.
        if (settled) return;
        const closed = e instanceof Error && e.message === EXCHANGE_OVER;
        req.destroy();
        if (closed) setImmediate(() => finish(connectionFailure(new Error('socket hang up'), host, x.what)));
        else finish(e instanceof AppFailure ? e : fsFailure(e, 'Cannot read the bundle'));
      },
    );
  });
}
