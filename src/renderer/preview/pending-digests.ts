// While the rootfs layer is not computed, main's preview puts a zero digest (and size 0) where
// the layer goes, and the image config's and the v9 manifest's digests are computed over that
// stand-in. None of these is a real value: the JSON view shows them as "computing…" or
// "not computed" instead, never as digests.
import type { OciPreviewView } from '../../shared/contract';

/** Pointer → why its value is not real yet. */
export type PendingValues = ReadonlyMap<string, 'rootfs' | 'derived'>;

const NONE: PendingValues = new Map();

export function pendingValues(preview: OciPreviewView | null): PendingValues {
  if (!preview || preview.rootfs) return NONE;
  return new Map([
    ['/imageConfig/rootfs/diff_ids/0', 'rootfs'],
    ['/manifest/v8/layers/0/digest', 'rootfs'],
    ['/manifest/v8/layers/0/size', 'rootfs'],
    ['/manifest/v9/layers/0/digest', 'rootfs'],
    ['/manifest/v9/layers/0/size', 'rootfs'],
    // Digests of JSON that names the stand-in.
    ['/manifest/v8/config/digest', 'derived'],
    ['/manifest/v9/config/digest', 'derived'],
    ['/index/manifests/0/digest', 'derived'],
  ]);
}
