// A small hostile bundle (a gzip bomb inside a correctly framed bundle) takes a while to
// read in full; meanwhile the browser-mode server answers everyone else: verify streams
// off the request path and never holds the event loop for long.
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApiHandlers } from '../../../src/main/api/handlers';
import { startUiServer, type UiServer } from '../../../src/main/server/ui-server';
import { entry, tarOf } from '../archive/raw-tar';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let server: UiServer;

beforeEach(async () => {
  const renderer = join(tmp.path, 'renderer');
  await mkdir(renderer, { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  server = await startUiServer({
    rendererDir: renderer,
    token: 'test-token',
    createHandlers: () => createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path }),
  });
});
afterEach(async () => {
  await server.close();
});

function call(channel: string, input: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(input);
    const req = request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: `/api/${channel}`, headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

it('answers other requests while verifying a bundle whose inner archive unpacks to 512 MiB', async () => {
  // 512 MiB of zeros in one inner entry: about 2 MB on disk.
  const zeros = Buffer.alloc(64 << 20);
  const innerTar = Buffer.concat([entry({ name: './service/zeros', size: 8 * zeros.length }), ...Array.from({ length: 8 }, () => zeros), Buffer.alloc(1024)]);
  const inner = gzipSync(innerTar, { level: 1 });
  const bundle = join(tmp.path, 'bomb.tar.gz');
  // The outer is stored, as ours is: the inner's size stays within what one gzip pass can expand.
  await writeFile(bundle, gzipSync(tarOf(entry({ name: './service.tar.gz' }, inner)), { level: 0 }));

  let verifyDone = false;
  const verify = call('bundle.verify', { path: bundle }).then((r) => {
    verifyDone = true;
    return r;
  });
  const answered: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    const info = await call('app.info', {});
    expect(info.status).toBe(200);
    answered.push(verifyDone);
  }
  // Every other request was answered while the verify was still running.
  expect(answered).toEqual([false, false, false]);
  const r = await verify;
  expect(r.status).toBe(200);
  const report = JSON.parse(r.body) as { ok: boolean; value: { ok: boolean; failures: { message: string }[] } };
  expect(report.value.ok).toBe(false);
  expect(report.value.failures.map((f) => f.message).join('\n')).toMatch(/config\.yaml is missing/);
}, 60_000);
