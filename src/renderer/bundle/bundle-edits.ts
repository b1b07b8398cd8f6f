// The bundle view's edits of config.yaml, all through the deployment config's
// comment-preserving edits (one value spliced into the text, a duplicated item copied as
// written, comments included), and its checker and main's full validation for the shared
// config document hook.
import type { KeyPath } from '../../shared/diagnostics';
import {
  addDeploymentImage,
  addDeploymentItem,
  checkDeploymentConfig,
  duplicateDeploymentItem,
  getDeploymentValue,
  LAYER_MEDIA_TYPE,
  MEDIA_TYPES_BY_ITEM_TYPE,
  removeDeploymentImage,
  removeDeploymentItem,
  setDeploymentValue,
  type DeploymentImage,
} from '../../shared/deployment-config';
import type { ConfigCheck } from '../service/config/config-context';
import type { ConfigKind } from '../service/use-config-document';
import type { ItemSummary } from './ItemsList';

/** The deployment config's checker, in the shape the config document hook runs. */
export function checkDeploymentText(text: string): ConfigCheck {
  try {
    const { parsed, diagnostics } = checkDeploymentConfig(text);
    return { value: parsed.value, parses: parsed.syntax.every((d) => d.severity !== 'error'), diagnostics, parsed };
  } catch (err) {
    const message = `The config checker failed: ${err instanceof Error ? err.message : String(err)}`;
    return { value: undefined, parses: false, diagnostics: [{ severity: 'error', code: 'internal', message, path: '', line: 1, column: 1, offset: 0, endOffset: 0 }] };
  }
}

export const DEPLOYMENT_CONFIG: ConfigKind = {
  check: checkDeploymentText,
  validate: (call, root, text) => call('deployment.validate', { root, text }),
};

/** One value written into the text (undefined deletes the key); comments and layout stay. */
export function editDeploymentValue(text: string, path: KeyPath, value: unknown): string {
  return setDeploymentValue(text, path, value);
}

const valueOf = (text: string) => checkDeploymentConfig(text).parsed.value;
const itemsIn = (value: unknown): unknown[] => {
  const items = getDeploymentValue(value, ['items']);
  return Array.isArray(items) ? items : [];
};
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Each item as the list shows it. */
export function itemSummaries(value: unknown): ItemSummary[] {
  return itemsIn(value).map((raw) => {
    const item = record(raw);
    const identity = record(item.identity);
    return {
      type: typeof identity.type === 'string' ? identity.type : '',
      codename: typeof identity.codename === 'string' ? identity.codename : '',
      version: item.version === undefined || item.version === null ? '' : String(item.version),
      images: Array.isArray(item.images) ? item.images.length : 0,
    };
  });
}

/** A new layer item at the end of `items` (a list that is not there yet is created). */
export function addItem(text: string): string {
  return addDeploymentItem(text, { identity: { type: 'layer', codename: '' }, version: '1.0.0', images: [] });
}

/**
 * A copy of item `index` right after it, as written (comments too), its codename made
 * unique ("<codename>-copy"): codenames are unique per type, so an exact copy would be an
 * error at once.
 */
export function duplicateItem(text: string, index: number): string {
  const items = itemsIn(valueOf(text));
  const identity = record(record(items[index]).identity);
  const taken = new Set(items.map((i) => record(record(i).identity).codename));
  const base = `${typeof identity.codename === 'string' && identity.codename ? identity.codename : 'item'}-copy`;
  let codename = base;
  for (let n = 2; taken.has(codename); n++) codename = `${base}-${n}`;
  return duplicateDeploymentItem(text, index, codename);
}

export function removeItem(text: string, index: number): string {
  return removeDeploymentItem(text, index);
}

/** A new image for item `index`: a file for layers and components, a folder for services. */
export function addImage(text: string, index: number): string {
  const type = record(record(itemsIn(valueOf(text))[index]).identity).type;
  const image: DeploymentImage =
    type === 'service'
      ? { archInfo: { architecture: 'amd64' }, osInfo: { os: 'linux' }, sourceFolder: '' }
      : { mediaType: type === 'component' ? MEDIA_TYPES_BY_ITEM_TYPE.component[0] : LAYER_MEDIA_TYPE, archInfo: { architecture: '' }, osInfo: { os: 'linux' }, path: '' };
  return addDeploymentImage(text, index, image);
}

export function removeImage(text: string, index: number, image: number): string {
  return removeDeploymentImage(text, index, image);
}
