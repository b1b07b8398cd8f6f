import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandlers, dispatch, type Handlers } from '../../../src/main/api/handlers';
import { appError } from '../../../src/shared/errors';
import { RecentServices } from '../../../src/main/core/settings/recent-services';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

function handlersWith(overrides: Partial<Handlers>): Handlers {
  return { ...createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path }), ...overrides };
}

describe('dispatch', () => {
  it('refuses unknown channels and invalid input before the handler runs', async () => {
    const seen: unknown[] = [];
    const handlers = handlersWith({ 'service.open': async (input) => { seen.push(input); throw new Error('unreachable'); } });
    expect(await dispatch(handlers, 'nope', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const bad = await dispatch(handlers, 'service.open', { dir: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch(handlers, 'service.open', { dir: '/x', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(seen).toEqual([]);
  });

  it('returns thrown AppFailures as values with their location, and hides other errors\' stacks', async () => {
    const handlers = handlersWith({
      'config.validate': async () => { throw appError('invalid-config', 'bad thing', { file: '/a/meta/config.yaml', line: 3, column: 5 }); },
      'recent.list': async () => { throw new TypeError('boom'); },
    });
    expect(await dispatch(handlers, 'config.validate', { root: '/a', text: '' })).toEqual({
      ok: false,
      error: { code: 'invalid-config', message: 'bad thing', location: { file: '/a/meta/config.yaml', line: 3, column: 5 } },
    });
    const boom = await dispatch(handlers, 'recent.list', {});
    expect(boom).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('checks outputs against the contract too', async () => {
    const handlers = handlersWith({ 'recent.list': async () => [{ root: 1 }] as never });
    expect(await dispatch(handlers, 'recent.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('maps missing files to not-found', async () => {
    const result = await dispatch(handlersWith({}), 'fs.browse', { path: join(tmp.path, 'missing') });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('opens a service and remembers it as recent', async () => {
    const root = join(tmp.path, 'svc');
    await mkdir(join(root, 'meta'), { recursive: true });
    await writeFile(join(root, 'meta', 'config.yaml'), 'build:\n  os: linux\n');
    const handlers = handlersWith({});
    const opened = await dispatch(handlers, 'service.open', { dir: 'svc' });
    expect(opened).toMatchObject({ ok: true, value: { root, configText: 'build:\n  os: linux\n' } });
    expect(await dispatch(handlers, 'recent.list', {})).toMatchObject({ ok: true, value: [{ root, name: 'svc' }] });
    // Removing the entry forgets it, and only it: the folder stays.
    expect(await dispatch(handlers, 'recent.remove', { root })).toMatchObject({ ok: true, value: [] });
    expect(await dispatch(handlers, 'recent.list', {})).toMatchObject({ ok: true, value: [] });
    expect(await dispatch(handlers, 'service.open', { dir: 'svc' })).toMatchObject({ ok: true });
  });
});

describe('fs.mkdir (the folder browser\'s New folder)', () => {
  it('makes one empty folder inside the folder shown, and nothing else', async () => {
    const handlers = handlersWith({});
    const parent = join(tmp.path, 'exports');
    await mkdir(parent);
    expect(await dispatch(handlers, 'fs.mkdir', { parent, name: 'hello-oci-v9' })).toEqual({ ok: true, value: { path: join(parent, 'hello-oci-v9') } });
    expect(await dispatch(handlers, 'fs.mkdir', { parent, name: 'hello-oci-v9' })).toMatchObject({ ok: false, error: { code: 'exists' } });
    for (const name of ['..', 'a/b', '../escape', ' x']) {
      expect(await dispatch(handlers, 'fs.mkdir', { parent, name })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(await dispatch(handlers, 'fs.mkdir', { parent: join(tmp.path, 'missing'), name: 'x' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('recent services', () => {
  it('keeps the newest first, without duplicates, and survives a corrupt file', async () => {
    const recent = new RecentServices(join(tmp.path, 'cfg'));
    expect(await recent.list()).toEqual([]);
    await recent.remember('/a', new Date('2026-01-01T00:00:00Z'));
    await recent.remember('/b', new Date('2026-01-02T00:00:00Z'));
    await recent.remember('/a', new Date('2026-01-03T00:00:00Z'));
    expect((await recent.list()).map((r) => r.root)).toEqual(['/a', '/b']);
    await writeFile(join(tmp.path, 'cfg', 'recent-services.json'), '{not json');
    expect(await recent.list()).toEqual([]);
  });
});
