// The preview's fake API answers with the real core (src/main/core/oci) so that the panel
// is tested against real shapes and traces; tests override single channels as needed.
import { buildPreview } from '../../src/main/core/oci';
import { parseServiceConfig } from '../../src/shared/service-config';
import type { Input, OciPreviewView, Output, RootfsLayerView } from '../../src/shared/contract';

export const ROOTFS: RootfsLayerView = {
  digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  diffId: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
  size: 4096,
  files: 3,
};

export function realPreview(input: Input<'preview.build'>, rootfs: RootfsLayerView | null = null): OciPreviewView {
  const preview = buildPreview(parseServiceConfig(input.text), { node: input.node, rootfs: rootfs ?? undefined });
  return JSON.parse(JSON.stringify({ ...preview, rootfs })) as OciPreviewView;
}

/** A promise with its resolve exposed. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const rootfsStarted = (jobId = 'rootfs-1'): Output<'preview.rootfs'> => ({ jobId });
