// preview.export writes only into an empty or not-yet-existing folder (issue 7 §3).
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import type { EventName, EventPayload } from '../../../src/shared/contract';
import { makeServiceTree } from '../oci/helpers';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let tree: { root: string; src: string };
beforeEach(() => {
  tree = makeServiceTree();
});
afterEach(async () => {
  await rm(tree.root, { recursive: true, force: true });
});

function api() {
  const done: Array<EventPayload<'job.done'>> = [];
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event === 'job.done') done.push(payload as EventPayload<'job.done'>);
  };
  const handlers = createApiHandlers({ mode: 'browser', emit, settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path });
  return { handlers, done };
}

describe('preview.export target folder', () => {
  it.each([
    ['a folder with a file', async (d: string) => { await mkdir(d); await writeFile(join(d, 'notes.txt'), 'mine'); }],
    ['a folder with only a hidden file', async (d: string) => { await mkdir(d); await writeFile(join(d, '.keep'), ''); }],
    ['a folder with an empty subfolder', async (d: string) => { await mkdir(join(d, 'sub'), { recursive: true }); }],
    ['a link to a non-empty folder', async (d: string) => { await mkdir(`${d}-real`); await writeFile(join(`${d}-real`, 'x'), 'mine'); await symlink(`${d}-real`, d); }],
  ])('refuses %s with code exists naming the folder, and writes nothing', async (_what, make) => {
    const outDir = join(tmp.path, 'out');
    await make(outDir);
    const before = (await readdir(outDir)).sort();
    const { handlers } = api();
    const result = await dispatch(handlers, 'preview.export', { root: tree.root, target: 'v9', outDir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('exists');
    expect(result.error.message).toContain(outDir);
    expect(result.error.message).toMatch(/not empty.*empty or new folder/);
    expect(result.error.location).toEqual({ file: outDir });
    expect((await readdir(outDir)).sort()).toEqual(before);
  });

  it('refuses a file as the folder', async () => {
    const outDir = join(tmp.path, 'file.txt');
    await writeFile(outDir, 'mine');
    const result = await dispatch(api().handlers, 'preview.export', { root: tree.root, target: 'v8', outDir: 'file.txt' });
    expect(result).toMatchObject({ ok: false, error: { code: 'exists', location: { file: outDir } } });
    expect(await readFile(outDir, 'utf8')).toBe('mine');
  });

  it.each([
    ['a new folder', async () => undefined],
    ['an empty folder', async (d: string) => void (await mkdir(d))],
  ])('exports into %s', async (_what, make) => {
    const outDir = join(tmp.path, 'fresh', 'image');
    await mkdir(join(tmp.path, 'fresh'));
    await make(outDir);
    const { handlers, done } = api();
    const started = await dispatch(handlers, 'preview.export', { root: tree.root, target: 'v9', outDir });
    expect(started.ok).toBe(true);
    await vi.waitFor(() => expect(done).toHaveLength(1), { timeout: 10_000 });
    expect(done[0].ok).toBe(true);
    expect(await readdir(outDir)).toEqual(expect.arrayContaining(['oci-layout', 'index.json', 'blobs']));
  });
});
