import { rmSync } from 'node:fs';
import { createPreviewHandlers } from '../../../src/main/api/preview-handlers';
import { JobRegistry } from '../../../src/main/api/jobs';
import { buildRootfsLayer } from '../../../src/main/core/oci';
import { makeServiceTree, SERVICE_CONFIG } from '../oci/helpers';

describe('preview.rootfs', () => {
  // The tree holds a symlink, so the layer's digest depends on build.symlinks.
  const tree = makeServiceTree(SERVICE_CONFIG.replace('symlinks: copy', 'symlinks: delete'));
  afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

  it('builds the layer with the config\'s symlink policy, as the CLI and the export do', async () => {
    let done!: (outcome: unknown) => void;
    const outcome = new Promise((resolve) => (done = resolve));
    const jobs = new JobRegistry({ progress: () => undefined, done: (_id, o) => done(o) });
    const handlers = createPreviewHandlers(jobs, (p) => p);

    await handlers['preview.rootfs']({ root: tree.root });
    const result = (await outcome) as { ok: boolean; value: { digest: string } };

    const deleted = await buildRootfsLayer(tree.src, { symlinks: 'delete' });
    const copied = await buildRootfsLayer(tree.src, { symlinks: 'copy' });
    expect(deleted.digest).not.toBe(copied.digest);
    expect(result.ok).toBe(true);
    expect(result.value.digest).toBe(deleted.digest);
  });
});
