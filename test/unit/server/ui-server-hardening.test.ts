// Browser mode over a real loopback server (issue 7 §3): the one-time code for the token,
// streamed bodies with a cap per request and over all requests in flight, 400 for malformed
// URLs, and the same security headers on every response.
import { mkdir, writeFile } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createApiHandlers } from '../../../src/main/api/handlers';
import { SECURITY_HEADERS, startUiServer, type UiServer, type UiServerOptions } from '../../../src/main/server/ui-server';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let server: UiServer;

async function start(extra: Partial<UiServerOptions> = {}): Promise<UiServer> {
  const renderer = join(tmp.path, 'renderer');
  await mkdir(renderer, { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  server = await startUiServer({
    rendererDir: renderer,
    token: 'test-token',
    createHandlers: () => createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path }),
    ...extra,
  });
  return server;
}
afterEach(async () => {
  await server?.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: options.headers }, (res) => collect(res, resolve));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function collect(res: import('node:http').IncomingMessage, resolve: (r: Reply) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (body += c));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
}

/** A request whose body is written by the test, piece by piece; `reply` settles with the response. */
function streaming(path: string, headers: Record<string, string>): { req: ClientRequest; reply: Promise<Reply> } {
  let req!: ClientRequest;
  const reply = new Promise<Reply>((resolve, reject) => {
    req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers }, (res) => collect(res, resolve));
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server may close the connection once it has answered; the reply is what counts.
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
  });
  return { req, reply };
}

const auth = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };

function expectSecurityHeaders(reply: Reply, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(reply.headers[name.toLowerCase()], `${what}: ${name}`).toBe(value);
  }
}

describe('one-time code for the session token', () => {
  it('answers the token once per code, then refuses it', async () => {
    await start();
    const once = server.issueCode();
    expect(once.url).toBe(`http://127.0.0.1:${server.port}/#code=${once.code}`);
    expect(once.url).not.toContain('test-token');
    const first = await send('POST', '/api/session', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: once.code }) });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ ok: true, value: { token: 'test-token' } });
    expect(first.headers['cache-control']).toBe('no-store');
    await expect(once.spent).resolves.toBe('redeemed');
    const second = await send('POST', '/api/session', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: once.code }) });
    expect(second.status).toBe(401);
    expect(second.body).not.toContain('test-token');
    // The token it gave works.
    expect((await send('POST', '/api/app.info', { headers: auth, body: '{}' })).status).toBe(200);
  });

  it('refuses made-up, malformed, expired and wrong-origin redemptions without ever showing the token', async () => {
    await start({ codeTtlMs: 50 });
    const valid = server.issueCode();
    const hostile: Array<[string, Record<string, string>, string | undefined]> = [
      ['made-up code', {}, JSON.stringify({ code: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })],
      ['code prefix', {}, JSON.stringify({ code: valid.code.slice(0, 20) })],
      ['empty', {}, JSON.stringify({ code: '' })],
      ['number', {}, JSON.stringify({ code: 42 })],
      ['array', {}, JSON.stringify({ code: [valid.code] })],
      ['no body', {}, undefined],
      ['not JSON', {}, '{code'],
      ['the token as code', {}, JSON.stringify({ code: 'test-token' })],
      ['other origin', { Origin: 'http://evil.example' }, JSON.stringify({ code: valid.code })],
      ['other host', { Host: 'evil.example' }, JSON.stringify({ code: valid.code })],
      ['huge body', {}, JSON.stringify({ code: 'x'.repeat(5000) })],
    ];
    for (const [what, headers, body] of hostile) {
      const reply = await send('POST', '/api/session', { headers: { 'Content-Type': 'application/json', ...headers }, body });
      expect(reply.status, what).toBeGreaterThanOrEqual(400);
      expect(reply.body, what).not.toContain('test-token');
    }
    expect((await send('GET', `/api/session?code=${valid.code}`)).status).toBe(405);
    await expect(valid.spent).resolves.toBe('expired');
    const late = await send('POST', '/api/session', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: valid.code }) });
    expect(late.status).toBe(401);
  });

  it('kills the codes still open when the server stops', async () => {
    await start();
    const open = server.issueCode();
    await server.close();
    await expect(open.spent).resolves.toBe('closed');
  });
});

describe('request bodies', () => {
  it('answers 413 for a body over the per-request cap, declared or streamed, and keeps serving', async () => {
    await start({ maxBodyBytes: 64 * 1024 });
    const declared = await send('POST', '/api/app.info', { headers: auth, body: Buffer.alloc(100 * 1024, 0x20) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('too large') });
    expectSecurityHeaders(declared, '413');

    const chunked = streaming('/api/app.info', { ...auth, 'Transfer-Encoding': 'chunked' });
    for (let i = 0; i < 20 && !chunked.req.destroyed; i++) chunked.req.write(Buffer.alloc(8 * 1024, 0x20));
    const reply = await chunked.reply;
    chunked.req.destroy();
    expect(reply.status).toBe(413);
    expect(server.bodyBytesInUse).toBe(0);
    expect((await send('POST', '/api/app.info', { headers: auth, body: '{}' })).status).toBe(200);
  });

  it('answers 503 when requests in flight together pass the total cap, and frees it when they end', async () => {
    await start({ maxBodyBytes: 100_000, maxTotalBodyBytes: 150_000 });
    const body = `{${' '.repeat(99_998)}}`;
    // A holds 100 000 bytes of the budget while its body is still arriving.
    const a = streaming('/api/app.info', { ...auth, 'Content-Length': String(body.length) });
    a.req.write(body.slice(0, 50_000));
    await vi.waitFor(() => expect(server.bodyBytesInUse).toBe(100_000));
    // B (declared) and C (chunked) do not fit beside it.
    const b = await send('POST', '/api/app.info', { headers: auth, body });
    expect(b.status).toBe(503);
    expect(JSON.parse(b.body).error.code).toBe('busy');
    expect(b.headers['retry-after']).toBe('1');
    expectSecurityHeaders(b, '503');
    const c = streaming('/api/app.info', { ...auth, 'Transfer-Encoding': 'chunked' });
    for (let i = 0; i < 8 && !c.req.destroyed; i++) c.req.write(Buffer.alloc(10_000, 0x20));
    expect((await c.reply).status).toBe(503);
    c.req.destroy();
    // A completes normally and gives its share back; then B fits.
    a.req.end(body.slice(50_000));
    expect((await a.reply).status).toBe(200);
    expect(server.bodyBytesInUse).toBe(0);
    expect((await send('POST', '/api/app.info', { headers: auth, body })).status).toBe(200);
    expect(server.bodyBytesInUse).toBe(0);
  });

  it('gives the budget back when a client goes away mid-body', async () => {
    await start({ maxBodyBytes: 100_000 });
    const gone = streaming('/api/app.info', { ...auth, 'Content-Length': '90000' });
    gone.req.write(Buffer.alloc(1000, 0x20));
    await vi.waitFor(() => expect(server.bodyBytesInUse).toBe(90_000));
    gone.req.destroy();
    await vi.waitFor(() => expect(server.bodyBytesInUse).toBe(0));
  });
});

describe('malformed URLs and security headers', () => {
  const MALFORMED = ['/%E0%A4%A', '/api/%E0%A4%A', '/%', '/api/%', '/%zz', '/api/%zz', '/%ED%A0%80', '/api/%C0', '/%FF/x', '//evil.example/x'];

  it.each(MALFORMED)('answers %s with 400 and the security headers, with or without the token', async (path) => {
    await start();
    for (const headers of [{}, auth]) {
      const reply = await send('GET', path, { headers });
      expect(reply.status, path).toBe(400);
      expect(JSON.parse(reply.body).error.code).toBe('invalid-input');
      expectSecurityHeaders(reply, path);
    }
    const post = await send('POST', path, { headers: auth, body: '{}' });
    expect(post.status).toBe(400);
  });

  it('sends the same security headers on 200, 401, 403, 404, 405, 400 and event streams', async () => {
    await start();
    const replies: Array<[string, Reply]> = [
      ['200 page', await send('GET', '/')],
      ['200 api', await send('POST', '/api/app.info', { headers: auth, body: '{}' })],
      ['401', await send('POST', '/api/app.info', { body: '{}' })],
      ['403', await send('GET', '/', { headers: { Host: 'evil.example' } })],
      ['404', await send('GET', '/missing.js')],
      ['404 traversal', await send('GET', '/%2e%2e/secret.txt')],
      ['405', await send('PUT', '/')],
      ['405 api', await send('GET', '/api/app.info', { headers: auth })],
      ['400 json', await send('POST', '/api/app.info', { headers: auth, body: '{' })],
    ];
    for (const [what, reply] of replies) expectSecurityHeaders(reply, what);
    expect(replies.map(([, r]) => r.status)).toEqual([200, 200, 401, 403, 404, 404, 405, 405, 400]);
    const events = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events?token=test-token' }, (res) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expectSecurityHeaders(events, 'events');
  });

  it("answers requests Node's parser refuses with 400 and the same headers", async () => {
    await start();
    for (const raw of ['GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n', 'NOT HTTP AT ALL\r\n\r\n']) {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write(raw));
        let got = '';
        socket.on('data', (c) => (got += c.toString()));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
      });
      expect(text, JSON.stringify(raw)).toMatch(/^HTTP\/1\.1 400 /);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(text, `${JSON.stringify(raw)} ${name}`).toContain(`${name}: ${value}`);
    }
  });
});
