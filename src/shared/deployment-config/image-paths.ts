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
  const out: ImageReference[] = [];
  config.items.forEach((item, itemIndex) => {
    item.images.forEach((image, imageIndex) => {
      for (const key of ['path', 'sourceFolder'] as const) {
        const written = image[key];
        if (typeof written !== 'string') continue;
        out.push({
          itemIndex,
          imageIndex,
          key,
          written,
          relative: joinBundlePath(item.sourceFolder, written),
          keyPath: ['items', itemIndex, 'images', imageIndex, key],
        });
      }
    });
  });
  return out;
}
