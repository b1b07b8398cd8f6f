// Where each image of a deployment config lives in the bundle folder: its `path` or
// `sourceFolder`, under the item's `sourceFolder` when that is set (spec §2). Signing packs
// exactly these; the folder checks look them up on disk.
import type { KeyPath } from '../diagnostics';
import type { DeploymentConfig, DeploymentImage, DeploymentItem } from './index';

export interface ImageReference {
  itemIndex: number;
  imageIndex: number;
  /** Which key names it: a prepared file (`path`) or a folder (`sourceFolder`). */
  key: 'path' | 'sourceFolder';
  /** As written in the image. */
  written: string;
  /** Relative to the bundle folder (item sourceFolder prefix applied), `/`-separated. */
  relative: string;
  /** Key path of the referencing key, for diagnostics. */
  keyPath: KeyPath;
}

/** `a/b` + `c` → `a/b/c`; `./` steps and doubled slashes dropped (`..` is kept for the checks to refuse). */
export function joinBundlePath(prefix: string | undefined, rest: string): string {
  const parts = [...(prefix ?? '').split('/'), ...rest.split('/')].filter((p) => p !== '' && p !== '.');
  return parts.join('/');
}

/** The bundle-relative path of one image, or undefined when it names neither a file nor a folder. */
export function imagePathOf(item: Pick<DeploymentItem, 'sourceFolder'>, image: DeploymentImage): string | undefined {
  const written = image.path ?? image.sourceFolder;
  return written === undefined ? undefined : joinBundlePath(item.sourceFolder, written);
}

/** Every image reference of the config, in file order. */
export function imageReferences(config: DeploymentConfig): ImageReference[] {
  return imageReferencesIn(config);
}

export interface ItemFolderReference {
  itemIndex: number;
  /** items[].sourceFolder as written. */
  written: string;
  keyPath: KeyPath;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const itemsIn = (value: unknown): unknown[] => (isRecord(value) && Array.isArray(value.items) ? value.items : []);

/**
 * The image references of any parsed value, even one with errors: what is a string where a
 * path belongs is a reference, anything else is skipped (the rules report it). The folder
 * checks run on this so a config being edited is checked as far as it goes.
 */
export function imageReferencesIn(value: unknown): ImageReference[] {
  const out: ImageReference[] = [];
  itemsIn(value).forEach((item, itemIndex) => {
    if (!isRecord(item) || !Array.isArray(item.images)) return;
    const prefix = typeof item.sourceFolder === 'string' ? item.sourceFolder : undefined;
    item.images.forEach((image, imageIndex) => {
      if (!isRecord(image)) return;
      for (const key of ['path', 'sourceFolder'] as const) {
        const written = image[key];
        if (typeof written !== 'string') continue;
        out.push({ itemIndex, imageIndex, key, written, relative: joinBundlePath(prefix, written), keyPath: ['items', itemIndex, 'images', imageIndex, key] });
      }
    });
  });
  return out;
}

/** items[].sourceFolder of each item that has one (a string). */
export function itemFolderReferencesIn(value: unknown): ItemFolderReference[] {
  const out: ItemFolderReference[] = [];
  itemsIn(value).forEach((item, itemIndex) => {
    if (isRecord(item) && typeof item.sourceFolder === 'string') out.push({ itemIndex, written: item.sourceFolder, keyPath: ['items', itemIndex, 'sourceFolder'] });
  });
  return out;
}
