// The config.yaml the wizard writes: a short commented head, then every value through the
// comment-preserving YAML edit, so the file reads like one written by hand. The review
// step shows this very text with the deployment config checker's findings.
import type { Diagnostic } from '../../shared/diagnostics';
import { checkDeploymentConfig, LAYER_MEDIA_TYPE, MEDIA_TYPES_BY_ITEM_TYPE } from '../../shared/deployment-config';
import { setConfigValue } from '../../shared/service-config';
import { baseName, folderOf, joinPath } from '../common/paths';
import { rangeToConstraint } from '../bundle/dependency-range';
import { DEFAULT_OEM_PKCS12, targetDir, type NewBundleValues } from './bundle-form';
import type { Placement } from './image-placement';

const HEAD = `# A deployment bundle (schemaVersion 2): this config.yaml at the bundle root and the
# images it names, signed into batch.tar.gz (Bundle Studio, or the platform's tool run in
# this folder). Paths are relative to this folder and must stay inside it.
schemaVersion: 2
`;

const same = (a: string, b: string) => a.replace(/[\\/]+$/, '') === b.replace(/[\\/]+$/, '');

/**
 * How publish.tlsKey names the certificate so that the lookup finds it: by file name when
 * it lies in the bundle folder or in ~/.aos/security/, else by its path.
 */
export function tlsKeyReference(path: string, bundleDir: string, homeDir?: string): string {
  const p = path.trim();
  if (!p) return DEFAULT_OEM_PKCS12;
  const folder = folderOf(p);
  if (folder !== p && (same(folder, bundleDir) || (homeDir && same(folder, joinPath(joinPath(homeDir, '.aos'), 'security'))))) return baseName(p);
  return p;
}

function imageValue(values: NewBundleValues, index: number, placement: Placement): Record<string, unknown> {
  const row = values.images[index];
  const archInfo: Record<string, string> = { architecture: row.architecture.trim() };
  if (row.variant.trim()) archInfo.variant = row.variant.trim();
  const osInfo: Record<string, string> = { os: row.os.trim() || 'linux' };
  if (row.osVersion.trim()) osInfo.version = row.osVersion.trim();
  if (values.type === 'service') return { archInfo, osInfo, sourceFolder: placement.path };
  const mediaType = values.type === 'component' ? MEDIA_TYPES_BY_ITEM_TYPE.component[0] : LAYER_MEDIA_TYPE;
  return { mediaType, archInfo, osInfo, path: placement.path };
}

export function buildBundleConfig(values: NewBundleValues, placements: readonly Placement[], homeDir?: string): string {
  const identity: Record<string, string> = { type: values.type, codename: values.codename.trim() };
  if (values.title.trim()) identity.title = values.title.trim();
  if (values.description.trim()) identity.description = values.description.trim();
  const item: Record<string, unknown> = {
    identity,
    version: values.version.trim(),
    images: values.images.map((_, i) => imageValue(values, i, placements[i])),
  };
  if (values.dependencies.length) {
    item.dependencies = values.dependencies.map((d) => ({ identity: { type: d.type, codename: d.codename.trim() }, versions: rangeToConstraint(d) }));
  }
  let text = HEAD;
  text = setConfigValue(text, ['publish', 'tlsKey'], tlsKeyReference(values.tlsKey, targetDir(values), homeDir));
  text = setConfigValue(text, ['items'], [item]);
  return text;
}

/** The checker's findings on the text the wizard would write. */
export function checkBundleConfig(text: string): Diagnostic[] {
  return checkDeploymentConfig(text).diagnostics;
}
