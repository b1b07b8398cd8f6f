// Checks of a config that need the filesystem: credential files and the default state
// file. They only matter when signing or uploading, so they are warnings (spec §2:
// relative credential paths are looked up next to config.yaml, then in ~/.aos/security/).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { credentialCandidates } from '../credentials/locate';
import type { Diagnostic, KeyPath } from '../../../shared/diagnostics';
import { formatKeyPath } from '../../../shared/diagnostics';
import { getConfigValue, locate, type ParsedServiceConfig } from '../../../shared/service-config';
import { sourceFolderOf } from './build-settings';
import { metaDirOf } from './layout';

const CREDENTIAL_KEYS: readonly KeyPath[] = [
  ['build', 'sign_pkcs12'],
  ['build', 'sign_key'],
  ['build', 'sign_certificate'],
  ['publish', 'tls_pkcs12'],
  ['publish', 'tls_key'],
  ['publish', 'tls_certificate'],
];

export function checkServiceFiles(parsed: ParsedServiceConfig, root: string, homeDir: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const value = parsed.value;
  if (!value || typeof value !== 'object') return out;

  for (const path of CREDENTIAL_KEYS) {
    const file = getConfigValue(value, path);
    if (typeof file !== 'string' || file.trim() === '') continue;
    const places = credentialCandidates(file, { configDir: metaDirOf(root), homeDir });
    if (places.some((p) => existsSync(p))) continue;
    out.push(warning(parsed, path, 'credential-not-found',
      places.length === 1
        ? `${file} not found (absolute path). Signing and upload need it.`
        : `${file} not found in ${places[0]} nor in ${places[1]}. Signing and upload need it.`));
  }

  const state = getConfigValue(value, ['configuration', 'state']);
  if (state && typeof state === 'object' && (state as { required?: unknown }).required === true) {
    const filename = (state as { filename?: unknown }).filename;
    const name = typeof filename === 'string' && filename ? filename : 'state.dat';
    const file = join(metaDirOf(root), name);
    if (!existsSync(file)) {
      out.push(warning(parsed, ['configuration', 'state', 'required'], 'state-file-missing',
        `configuration.state.required is true but ${file} does not exist; the bundle ships it as default_state.dat.`));
    }
  }

  const sourceFolder = getConfigValue(value, ['build', 'source_folder']);
  const srcDir = sourceFolderOf(root, value);
  if (!existsSync(srcDir)) {
    out.push(warning(parsed, typeof sourceFolder === 'string' ? ['build', 'source_folder'] : ['build'], 'source-folder-missing',
      `The source folder ${srcDir} does not exist; the service's root filesystem goes there.`));
  }
  return out;
}

function warning(parsed: ParsedServiceConfig, path: KeyPath, code: string, message: string): Diagnostic {
  const at = locate(parsed, path, 'value') ?? locate(parsed, path.slice(0, 1), 'key') ?? { line: 1, column: 1, offset: 0, endOffset: 0 };
  return { severity: 'warning', code, message, path: formatKeyPath(path), ...at };
}
