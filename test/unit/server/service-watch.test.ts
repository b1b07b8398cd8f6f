// 'service.watch' end to end in main: a browser-mode server, its event stream, real files.
import { mkdir, writeFile } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { createApiHandlers } from '../../../src/main/api/handlers';
import { ServiceWatches } from '../../../src/main/api/watch-handlers';
import { startUiServer, type UiServer } from '../../../src/main/server/ui-server';
import type { EventPayload } from '../../../src/shared/contract';
import { eventually } from '../../support/eventually';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('bs-watch-api-');
const auth = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };
let server: UiServer | undefined;
let stream: ClientRequest | undefined;
let handlers: ReturnType<typeof createApiHandlers>;

afterEach(async () => {
  stream?.destroy();
  await server?.close();
  server = undefined;
});

async function serviceTree(): Promise<string> {
  const root = join(tmp.path, 'svc');
  await mkdir(join(root, 'meta'), { recursive: true });
  await mkdir(join(root, 'src'), { recursive: true });
  await writeFile(join(root, 'meta', 'config.yaml'), 'publish:\n  version: 1.0.0\n');
  return root;
}

async function startServer(): Promise<UiServer> {
  server = await startUiServer({
    rendererDir: tmp.path,
    token: 'test-token',
    createHandlers: (emit) => (handlers = createApiHandlers({ mode: 'browser', emit, settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path })),
  });
  return server;
}

/** The event stream's 'service.changed' payloads, as they arrive. */
function listen(port: number): Promise<EventPayload<'service.changed'>[]> {
  const got: EventPayload<'service.changed'>[] = [];
  return new Promise((resolve, reject) => {
    stream = request({ host: '127.0.0.1', port, path: '/api/events?token=test-token' }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (buffer.includes(': connected')) resolve(got);
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        for (const f of frames) {
          if (!f.startsWith('data: ')) continue;
          const { event, payload } = JSON.parse(f.slice(6)) as { event: string; payload: EventPayload<'service.changed'> };
          if (event === 'service.changed') got.push(payload);
        }
      });
    });
    stream.on('error', reject);
    stream.end();
  });
}

async function call(port: number, channel: string, input: unknown) {
  const body = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/api/${channel}`, headers: auth }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
  return JSON.parse(body) as { ok: boolean; value?: any; error?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('service.watch over the browser-mode event stream', () => {
  it('delivers src/, meta/ and foreign config.yaml changes, not the app\'s own save, and stops with the server', async () => {
    const root = await serviceTree();
    const { port } = await startServer();
    const events = await listen(port);
    const watched = await call(port, 'service.watch', { root });
    expect(watched.ok).toBe(true);
    const watchId: string = watched.value.watchId;

    await writeFile(join(root, 'src', 'hello.txt'), 'hi');
    await eventually(() => expect(events.flatMap((e) => e.changes)).toContainEqual({ kind: 'src', paths: ['hello.txt'] }), 4000);
    expect(events.every((e) => e.watchId === watchId && e.root === root)).toBe(true);

    // The app's own save (config.save) is no news ...
    const open = await call(port, 'service.open', { dir: root });
    const saved = await call(port, 'config.save', { root, text: 'publish:\n  version: 1.1.0\n', expectedMtimeMs: open.value.configMtimeMs });
    expect(saved.ok).toBe(true);
    await writeFile(join(root, 'meta', 'sign.p12'), 'not really a p12');
    await eventually(() => expect(events.flatMap((e) => e.changes)).toContainEqual({ kind: 'meta', paths: ['sign.p12'] }), 4000);
    expect(events.flatMap((e) => e.changes).filter((c) => c.kind === 'config')).toEqual([]);

    // ... another program's write is.
    await writeFile(join(root, 'meta', 'config.yaml'), 'publish:\n  version: 9.9.9\n');
    await eventually(() => expect(events.flatMap((e) => e.changes)).toContainEqual({ kind: 'config', paths: ['config.yaml'] }), 4000);

    await server!.close();
    server = undefined;
    expect(handlers.stopWatches()).toBe(0);
  });

  it('refuses a folder that is neither a service nor a deployment bundle, and unwatch stops a watch once', async () => {
    const root = await serviceTree();
    const { port } = await startServer();
    expect((await call(port, 'service.watch', { root: tmp.path })).error).toMatchObject({ code: 'not-a-bundle' });
    const { value } = await call(port, 'service.watch', { root });
    expect((await call(port, 'service.unwatch', { watchId: value.watchId })).value).toEqual({ stopped: true });
    expect((await call(port, 'service.unwatch', { watchId: value.watchId })).value).toEqual({ stopped: false });
  });
});

describe('ServiceWatches', () => {
  it('keeps at most its maximum: the oldest watch stops first', async () => {
    const root = await serviceTree();
    const watches = new ServiceWatches(() => undefined, { max: 2 });
    const first = await watches.start(root);
    await watches.start(root);
    await watches.start(root);
    expect(watches.size).toBe(2);
    expect(watches.stop(first)).toBe(false);
    expect(watches.stopAll()).toBe(2);
    expect(watches.size).toBe(0);
  });

  it('watches a deployment bundle whole: a referenced image changing is reported, config.yaml by content, the app\'s own save not', async () => {
    const root = join(tmp.path, 'bundle');
    await mkdir(join(root, 'pylibs'), { recursive: true });
    const text = 'schemaVersion: 2\npublish:\n  tlsKey: aos-user-oem.p12\nitems: []\n';
    await writeFile(join(root, 'config.yaml'), text);
    await writeFile(join(root, 'pylibs', 'linux-amd64-1.0.0.tar.gz'), 'old');
    const got: EventPayload<'service.changed'>[] = [];
    const watches = new ServiceWatches((e) => got.push(e), { debounceMs: 20 });
    try {
      const watchId = await watches.start(root);
      await writeFile(join(root, 'pylibs', 'linux-amd64-1.0.0.tar.gz'), 'new');
      await eventually(() => expect(got.flatMap((e) => e.changes).some((c) => c.kind === 'src' && c.paths.includes('pylibs/linux-amd64-1.0.0.tar.gz'))).toBe(true));
      expect(got[0]).toMatchObject({ watchId, root });
      got.length = 0;
      // The app's own save (noted first) is no news; another program's edit is.
      watches.noteConfig(root, `${text}# mine\n`);
      await writeFile(join(root, 'config.yaml'), `${text}# mine\n`);
      await writeFile(join(root, 'config.yaml'), `${text}# theirs\n`);
      await eventually(() => expect(got.flatMap((e) => e.changes).filter((c) => c.kind === 'config')).toEqual([{ kind: 'config', paths: ['config.yaml'] }]));
    } finally {
      watches.stopAll();
    }
  });
});
