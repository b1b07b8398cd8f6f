import { checkDeploymentConfig } from '../../../src/shared/deployment-config';
import type { Diagnostic } from '../../../src/shared/diagnostics';

/**
 * A valid layer bundle. Lines are fixed so tests can assert positions:
 * 3 tlsKey, 6 type, 7 codename, 8 version, 10 mediaType, 11 archInfo, 13 path;
 * `more` continues the first image's keys at line 14 (8 spaces), `after` follows the item,
 * `imagePath` is the first image's path.
 */
export function bundle(more = '', after = '', imagePath = 'layers/linux-amd64-1.0.0.tar.gz'): string {
  return `schemaVersion: 2
publish:
  tlsKey: aos-user-oem.p12
items:
  - identity:
      type: layer
      codename: pylibs
    version: 1.0.0
    images:
      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip
        archInfo: {architecture: amd64}
        osInfo: {os: linux}
        path: ${imagePath}
${more}${after}`;
}

/** A second layer image of the first item, at line 14 (its archInfo at 15). */
export function image(arch: string, file = `layers/linux-${arch}-1.0.0.tar.gz`, extra = ''): string {
  return `      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip
        archInfo: {architecture: ${arch}}
        path: ${file}
${extra}`;
}

export function diagnostics(text: string): Diagnostic[] {
  return checkDeploymentConfig(text).diagnostics;
}

/** The single diagnostic the text produces; fails with the full list otherwise. */
export function only(text: string): Diagnostic {
  const list = diagnostics(text);
  expect(list, JSON.stringify(list, null, 2)).toHaveLength(1);
  return list[0];
}
