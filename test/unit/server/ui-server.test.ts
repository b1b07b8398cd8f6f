import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { createApiHandlers } from '../../../src/main/api/handlers';
import { startUiServer, type UiServer } from '../../../src/main/server/ui-server';
import type { EventName, EventPayload } from '../../../src/shared/contract';
import { eventually } from '../../support/eventually';
import { serviceWithLongRootfsJob } from '../../support/long-job';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let server: UiServer;
let emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;

beforeEach(async () => {
  const renderer = join(tmp.path, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(tmp.path, 'secret.txt'), 'secret');
  server = await startUiServer({
    rendererDir: renderer,
    token: 'test-token',
    createHandlers: (e) => {
      emit = e;
      return createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path });
    },
  });
});
afterEach(async () => {
  await server.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const auth = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };

describe('browser-mode server', () => {
  it('prints a loopback URL carrying the token in the fragment (never sent in a request line)', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=test-token`);
  });

  it('answers every /api request without the right token with 401, before any routing', async () => {
    for (const [method, path] of [['POST', '/api/app.info'], ['GET', '/api/no-such-route'], ['POST', '/api'], ['GET', '/api/events']]) {
      const reply = await raw(method, path);
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(JSON.parse(reply.body).error.code).toBe('forbidden');
    }
    const wrong = await raw('POST', '/api/app.info', { headers: { Authorization: 'Bearer test-tokem' } });
    expect(wrong.status).toBe(401);
  });

  it('refuses requests naming another host or origin (DNS rebinding)', async () => {
    expect((await raw('POST', '/api/app.info', { headers: { ...auth, Host: 'evil.example:80' } })).status).toBe(403);
    expect((await raw('POST', '/api/app.info', { headers: { ...auth, Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('runs API calls validated by the contract', async () => {
    const info = JSON.parse((await raw('POST', '/api/app.info', { headers: auth, body: '{}' })).body);
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', cwd: tmp.path } });
    const bad = JSON.parse((await raw('POST', '/api/service.open', { headers: auth, body: '{"dir": 42}' })).body);
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid-input');
    expect(bad.error.message).toContain('dir');
    const unknown = JSON.parse((await raw('POST', '/api/fs.deleteEverything', { headers: auth, body: '{}' })).body);
    expect(unknown.error.code).toBe('invalid-input');
    const notJson = await raw('POST', '/api/app.info', { headers: auth, body: '{' });
    expect(notJson.status).toBe(400);
    const dialog = JSON.parse((await raw('POST', '/api/dialog.openFolder', { headers: auth, body: '{}' })).body);
    expect(dialog.error.code).toBe('unsupported');
  });

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const index = await raw('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await raw('GET', '/assets/app.js')).headers['content-type']).toContain('javascript');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/a%00b.js', '/missing.js']) {
      const reply = await raw('GET', path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('secret');
    }
  });

  it('streams events to the page', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events?token=test-token' }, (res) => {
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.includes(': connected')) emit('job.progress', { jobId: 'j1', phase: 'pack', done: 1, total: 2 });
          const frame = buffer.split('\n\n').find((f) => f.startsWith('data: '));
          if (frame) {
            resolve(frame.slice(6));
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(received)).toEqual({ event: 'job.progress', payload: { jobId: 'j1', phase: 'pack', done: 1, total: 2 } });
  });
});

describe('idle stop', () => {
  it('stops by itself after the idle timeout', async () => {
    const idle = await startUiServer({
      rendererDir: tmp.path,
      idleTimeoutMs: 50,
      createHandlers: () => createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 's') }),
    });
    await new Promise((r) => setTimeout(r, 200));
    await expect(
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: idle.port, path: '/' }, resolve);
        req.on('error', reject);
        req.end();
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('lifecycle', () => {
  const call = async (port: number, channel: string, input: unknown) => {
    const reply = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/api/${channel}`, headers: auth }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
    return JSON.parse(reply);
  };
  const start = (settingsDir: string, onHandlers?: (h: ReturnType<typeof createApiHandlers>) => void) =>
    startUiServer({
      rendererDir: tmp.path,
      token: 'test-token',
      createHandlers: (e) => {
        const handlers = createApiHandlers({ mode: 'browser', emit: e, settingsDir, homeDir: tmp.path, cwd: tmp.path });
        onHandlers?.(handlers);
        return handlers;
      },
    });

  it('keeps settings across runs (a new port each time)', async () => {
    const settingsDir = join(tmp.path, 'config');
    const first = await start(settingsDir);
    try {
      expect(await call(first.port, 'settings.get', {})).toEqual({ ok: true, value: { theme: 'auto', previewTarget: 'v9', layerLibrary: '' } });
      const set = await call(first.port, 'settings.set', { theme: 'dark', layerLibrary: '/srv/layers' });
      expect(set).toEqual({ ok: true, value: { theme: 'dark', previewTarget: 'v9', layerLibrary: '/srv/layers' } });
      expect((await call(first.port, 'settings.set', { previewTarget: 'v7' })).error.code).toBe('invalid-input');
    } finally {
      await first.close();
    }
    const second = await start(settingsDir);
    try {
      expect(second.port).not.toBe(first.port);
      expect(await call(second.port, 'settings.get', {})).toEqual({ ok: true, value: { theme: 'dark', previewTarget: 'v9', layerLibrary: '/srv/layers' } });
    } finally {
      await second.close();
    }
  });

  it('cancels running jobs when it stops', async () => {
    const root = await serviceWithLongRootfsJob(join(tmp.path, 'svc'));
    let handlers!: ReturnType<typeof createApiHandlers>;
    const running = await start(join(tmp.path, 'config'), (h) => (handlers = h));
    const started = await call(running.port, 'preview.rootfs', { root });
    expect(started.ok).toBe(true);
    const { jobId } = started.value;
    expect(await handlers['job.status']({ jobId })).toMatchObject({ state: 'running' });
    await running.close();
    await eventually(async () => expect(await handlers['job.status']({ jobId })).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } }));
  });
});
