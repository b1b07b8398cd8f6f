// OCI whiteouts (image-spec layer.md, "Whiteouts"): an empty file `.wh.<name>` hides <name> of
// the layers below; `.wh..wh..opq` in a folder hides everything the layers below have in it.
// overlayfs writes deletions differently, as character devices with device number 0/0 in its
// upper folder; an image must never carry those, so a rootfs holding them has them converted.
import type { Stats } from 'node:fs';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutName = { kind: 'opaque' } | { kind: 'whiteout'; hides: string };

/** What a file name means as a whiteout, or undefined for an ordinary name. */
export function whiteoutOf(name: string): WhiteoutName | undefined {
  if (name === OPAQUE_MARKER) return { kind: 'opaque' };
  if (name.startsWith(WHITEOUT_PREFIX) && name.length > WHITEOUT_PREFIX.length) return { kind: 'whiteout', hides: name.slice(WHITEOUT_PREFIX.length) };
  return undefined;
}

export function whiteoutFor(name: string): string {
  return `${WHITEOUT_PREFIX}${name}`;
}

/** The fields of a stat an overlayfs whiteout is recognised by. */
export type DeviceStat = Pick<Stats, 'isCharacterDevice' | 'rdev'>;

/** An overlayfs whiteout: a character device numbered 0/0 (no real device has that number). */
export function isOverlayWhiteout(st: DeviceStat): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}
