// Comment-preserving edits of a deployment config: the shared surgical editor
// (config-common/edit) at the key paths of items and images. Every other byte of the file,
// comments included, stays as it was.
import { parse } from 'yaml';
import { duplicateListItem, setConfigValue } from '../config-common/edit';
import type { KeyPath } from '../diagnostics';
import type { DeploymentDependency, DeploymentImage, DeploymentItem } from './index';

/** Sets (or, with undefined, removes) the value at `path`, creating missing parents. */
export function setDeploymentValue(text: string, path: KeyPath, value: unknown): string {
  return setConfigValue(text, path, value);
}

/** Number of entries of the list at `path` in `value` (0 when absent or not a list). */
function countAt(value: unknown, path: KeyPath): number {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return 0;
    current = (current as Record<string | number, unknown>)[part];
  }
  return Array.isArray(current) ? current.length : 0;
}

/** The plain value, only to count list entries; a text that does not parse is refused by the editor itself. */
function parsedValue(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** Appends an item at the end of `items` (created when absent). */
export function addDeploymentItem(text: string, item: DeploymentItem): string {
  return setConfigValue(text, ['items', countAt(parsedValue(text), ['items'])], item);
}

/** A copy of items[index], written as the original (comments too), right after it; `codename` renames the copy. */
export function duplicateDeploymentItem(text: string, index: number, codename?: string): string {
  return duplicateListItem(text, ['items'], index, codename === undefined ? [] : [{ path: ['identity', 'codename'], value: codename }]);
}

export function removeDeploymentItem(text: string, index: number): string {
  return setConfigValue(text, ['items', index], undefined);
}

/** Appends an image to items[itemIndex].images (created when absent). */
export function addDeploymentImage(text: string, itemIndex: number, image: DeploymentImage): string {
  return setConfigValue(text, ['items', itemIndex, 'images', countAt(parsedValue(text), ['items', itemIndex, 'images'])], image);
}

export function removeDeploymentImage(text: string, itemIndex: number, imageIndex: number): string {
  return setConfigValue(text, ['items', itemIndex, 'images', imageIndex], undefined);
}

/** Appends a dependency to items[itemIndex].dependencies (created when absent). */
export function addDeploymentDependency(text: string, itemIndex: number, dependency: DeploymentDependency): string {
  return setConfigValue(text, ['items', itemIndex, 'dependencies', countAt(parsedValue(text), ['items', itemIndex, 'dependencies'])], dependency);
}
