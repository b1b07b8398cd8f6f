// The config.yaml the wizard writes: the deployment config's commented template
// (deploymentTemplate, the same one `aos-bundle init --bundle` writes) filled with the
// wizard's values. The review step shows this very text with the checker's findings.
import type { Diagnostic } from '../../shared/diagnostics';
import { checkDeploymentConfig, deploymentTemplate, type DeploymentTemplateImage } from '../../shared/deployment-config';
import { baseName, folderOf, joinPath } from '../common/paths';
import { rangeToConstraint } from '../bundle/dependency-range';
import { DEFAULT_OEM_PKCS12, targetDir, type NewBundleValues } from './bundle-form';
import type { Placement } from './image-placement';

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

function imageOf(values: NewBundleValues, index: number, placement: Placement): DeploymentTemplateImage {
  const row = values.images[index];
  return {
    architecture: row.architecture.trim(),
    ...(row.variant.trim() ? { variant: row.variant.trim() } : {}),
    os: row.os.trim() || 'linux',
    ...(row.osVersion.trim() ? { osVersion: row.osVersion.trim() } : {}),
    ...(values.type === 'service' ? { sourceFolder: placement.path } : { path: placement.path }),
  };
}

export function buildBundleConfig(values: NewBundleValues, placements: readonly Placement[], homeDir?: string): string {
  return deploymentTemplate({
    type: values.type,
    codename: values.codename.trim(),
    ...(values.title.trim() ? { title: values.title.trim() } : {}),
    ...(values.description.trim() ? { description: values.description.trim() } : {}),
    version: values.version.trim(),
    tlsKey: tlsKeyReference(values.tlsKey, targetDir(values), homeDir),
    images: values.images.map((_, i) => imageOf(values, i, placements[i])),
    dependencies: values.dependencies.map((d) => ({ type: d.type, codename: d.codename.trim(), versions: rangeToConstraint(d) })),
  });
}

/** The checker's findings on the text the wizard would write. */
export function checkBundleConfig(text: string): Diagnostic[] {
  return checkDeploymentConfig(text).diagnostics;
}
