import { mkdir, rename, rm, writeFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { watchServiceFolder, type ServiceChange, type ServiceWatcher } from '../../../src/main/core/service-tree/watch';
import { writeFileAtomic } from '../../../src/main/core/fs/atomic-write';
import { eventually } from '../../support/eventually';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('bs-watch-');
let watcher: ServiceWatcher | undefined;
afterEach(() => watcher?.close());

async function serviceTree(config = 'publish:\n  version: 1.0.0\n') {
  const root = tmp.path;
  await mkdir(join(root, 'meta'), { recursive: true });
  await mkdir(join(root, 'src', 'usr'), { recursive: true });
  await writeFile(join(root, 'meta', 'config.yaml'), config);
  return root;
}

function start(root: string, extra: { perFolder?: boolean; configText?: string } = {}) {
  const reports: ServiceChange[][] = [];
  watcher = watchServiceFolder({ root, srcDir: join(root, 'src'), onChange: (c) => reports.push(c), debounceMs: 30, ...extra });
  const of = (kind: ServiceChange['kind']) => reports.flat().filter((c) => c.kind === kind);
  return { reports, of, ready: watcher.ready };
}

describe('watchServiceFolder', () => {
  it('reports files added in src/, nested folders included, as one coalesced report', async () => {
    const root = await serviceTree();
    const { of, reports, ready } = start(root);
    await ready;
    await writeFile(join(root, 'src', 'usr', 'a.txt'), 'a');
    await writeFile(join(root, 'src', 'usr', 'b.txt'), 'b');
    await eventually(() => expect(of('src').flatMap((c) => c.paths)).toEqual(expect.arrayContaining(['usr/a.txt', 'usr/b.txt'])), 4000);
    // A burst is one report, not one per file.
    expect(reports.length).toBeLessThanOrEqual(2);
    expect(of('config')).toEqual([]);
  });

  it('reports nested files with Node\'s recursive watching too (macOS, Windows)', async () => {
    const root = await serviceTree();
    const { of, ready } = start(root, { perFolder: false });
    await ready;
    await writeFile(join(root, 'src', 'usr', 'c.txt'), 'c');
    await eventually(() => expect(of('src').flatMap((c) => c.paths)).toContain('usr/c.txt'), 4000);
  });

  it('watches a folder removed and made again', async () => {
    const root = await serviceTree();
    const { of, ready } = start(root, { perFolder: true });
    await ready;
    await rm(join(root, 'src', 'usr'), { recursive: true });
    await mkdir(join(root, 'src', 'usr'));
    await eventually(async () => {
      await writeFile(join(root, 'src', 'usr', 'again.txt'), String(Math.random()));
      await new Promise((r) => setTimeout(r, 40));
      expect(of('src').flatMap((c) => c.paths)).toContain('usr/again.txt');
    }, 4000);
  });

  it('sees a folder created after watching started, where recursion is by hand (per folder)', async () => {
    const root = await serviceTree();
    const { of, ready } = start(root, { perFolder: true });
    await ready;
    await mkdir(join(root, 'src', 'opt'));
    await eventually(() => expect(of('src').flatMap((c) => c.paths)).toContain('opt'), 4000);
    // The new folder is watched too once it is seen: keep writing until a report names the file.
    await eventually(async () => {
      await writeFile(join(root, 'src', 'opt', 'x.bin'), String(Math.random()));
      await new Promise((r) => setTimeout(r, 40));
      expect(of('src').flatMap((c) => c.paths)).toContain('opt/x.bin');
    }, 4000);
  });

  it('reports config.yaml written elsewhere, also by an atomic rename, but not the temp file', async () => {
    const root = await serviceTree();
    const { of, ready } = start(root);
    await ready;
    await writeFileAtomic(join(root, 'meta', 'config.yaml'), 'publish:\n  version: 2.0.0\n');
    await eventually(() => expect(of('config')).toEqual([{ kind: 'config', paths: ['config.yaml'] }]), 4000);
    expect(of('meta')).toEqual([]);
  });

  it('does not report the app\'s own save (noteConfig) nor a touch that changes no byte', async () => {
    const root = await serviceTree();
    const { of, ready } = start(root);
    await ready;
    const mine = 'publish:\n  version: 3.0.0\n';
    watcher!.noteConfig(mine);
    await writeFileAtomic(join(root, 'meta', 'config.yaml'), mine);
    const later = new Date(Date.now() + 5000);
    await utimes(join(root, 'meta', 'config.yaml'), later, later);
    // A marker after both: once its report is in, the earlier events have been judged.
    await writeFile(join(root, 'meta', 'marker.pem'), 'x');
    await eventually(() => expect(of('meta').flatMap((c) => c.paths)).toContain('marker.pem'), 4000);
    expect(of('config')).toEqual([]);
  });

  it('reports credential files appearing in meta/', async () => {
    const root = await serviceTree();
    const { of, ready } = start(root);
    await ready;
    await writeFile(join(root, 'meta', '.sign.p12.upload'), 'x');
    await rename(join(root, 'meta', '.sign.p12.upload'), join(root, 'meta', 'sign.p12'));
    await eventually(() => expect(of('meta').flatMap((c) => c.paths)).toContain('sign.p12'), 4000);
  });

  it('notices a source folder created after opening', async () => {
    const root = tmp.path;
    await mkdir(join(root, 'meta'));
    await writeFile(join(root, 'meta', 'config.yaml'), 'a: 1\n');
    const { of, ready } = start(root);
    await ready;
    await mkdir(join(root, 'src'));
    await eventually(() => expect(of('src').length).toBeGreaterThan(0), 4000);
    const before = of('src').length;
    await eventually(async () => {
      await writeFile(join(root, 'src', 'late.txt'), String(Math.random()));
      await new Promise((r) => setTimeout(r, 40));
      expect(of('src').slice(before).flatMap((c) => c.paths)).toContain('late.txt');
    }, 4000);
  });

  it('reports nothing after close', async () => {
    const root = await serviceTree();
    const { reports, ready } = start(root);
    await ready;
    watcher!.close();
    await writeFile(join(root, 'src', 'after.txt'), 'x');
    await writeFile(join(root, 'meta', 'config.yaml'), 'changed: true\n');
    // A second watcher sees these events; the closed one has reported nothing by then.
    const second = start(root);
    await second.ready;
    await writeFile(join(root, 'src', 'probe.txt'), 'x');
    await eventually(() => expect(second.of('src').flatMap((c) => c.paths)).toContain('probe.txt'), 4000);
    expect(reports).toEqual([]);
  });
});
