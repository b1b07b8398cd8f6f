// The instance's root filesystem as the unit stacks it (oci-output.md §5, layers.md §2):
// a read-only overlay, topmost first. Only a few host folders stay visible, which is why a
// Python service runs the host's python3 without shipping it.
import { unresolvedText } from './required-layers';
import type { RequiredLayer, RootfsLayerInfo } from './types';

export const HOST_VISIBLE = ['/bin', '/sbin', '/lib', '/lib64', '/usr'] as const;

export type OverlayEntry =
  | { kind: 'mount-points'; description: string }
  | { kind: 'service-rootfs'; description: string; diffId?: string }
  | { kind: 'layer'; description: string; uid: string; version?: string; diffId?: string; unresolved: boolean }
  | { kind: 'host-whiteouts'; description: string; visible: readonly string[] }
  | { kind: 'host-root'; description: string };

export function overlayOrder(rootfs: RootfsLayerInfo | undefined, layers: readonly RequiredLayer[], instanceId: string): OverlayEntry[] {
  return [
    { kind: 'mount-points', description: `generated mount points (/run/aos/runtime/${instanceId}/mounts)` },
    { kind: 'service-rootfs', description: 'the service rootfs (layers[0], from src/)', ...(rootfs ? { diffId: rootfs.diffId } : {}) },
    ...layers.map((l): OverlayEntry =>
      l.unresolved
        ? { kind: 'layer', description: unresolvedText(l), uid: l.uid, unresolved: true }
        : { kind: 'layer', description: `layer ${l.uid} ${l.version}`, uid: l.uid, version: l.version, diffId: l.diffId, unresolved: false },
    ),
    {
      kind: 'host-whiteouts',
      description: `whiteouts hiding the host root except ${HOST_VISIBLE.join(', ')}`,
      visible: HOST_VISIBLE,
    },
    { kind: 'host-root', description: 'host /' },
  ];
}
