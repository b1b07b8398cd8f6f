import { posix } from 'node:path';

/**
 * Whether a symlink at `linkPath` (relative to the rootfs, POSIX) with link text `target`
 * points outside the rootfs. Absolute targets resolve against the container's root, which
 * is the rootfs itself, so only relative targets that climb above it escape.
 */
export function linkEscapesRoot(linkPath: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../');
}
