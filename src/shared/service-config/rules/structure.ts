// Schema-driven checks of the v1 config: the shared schema walk (config-common) with the
// v1 policy (its section hints, where misplaced keys belong, v1 size units). Semantic rules
// (credentials, layers, ports...) live in the per-section modules and run after this one.
import { isScalar } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import type { FieldSpec } from '../index';
import { SERVICE_CONFIG_SCHEMA } from '../schema';
import { isBinarySizeUnit, parseSize } from '../units';
import { walkSchema, type SchemaPolicy } from '../../config-common/schema-walk';
import type { RuleContext } from '../../config-common/rule-context';

const SECTION_HINTS: Record<string, string> = {
  build: 'add `build:` with os, arch and sign_pkcs12 (or sign_key + sign_certificate)',
  publish: 'it is required for upload and holds the required version; add `publish:` with url, service_uid, tls_pkcs12 and version',
  configuration: 'add `configuration:` with at least cmd and workingDir',
};

/**
 * Keys of the unit's JSON that people write into config.yaml, though no v1 key maps to them
 * (oci-output.md §4): still unknown keys, with the reason.
 */
const UNIT_SIDE_ONLY: Record<string, string> = {
  'configuration.sysctl':
    "sysctl is set on the unit side only: no v1 config.yaml key maps to it and the upload tool rejects unknown keys, so remove it (the unit applies the sysctl of the service config the cloud sends).",
};

function missing(ctx: RuleContext, field: FieldSpec, path: KeyPath, present: boolean): void {
  const name = formatKeyPath(path);
  const state = present ? 'has no value' : 'is missing';
  if (path.length === 1) {
    ctx.error('missing-section', path, 'key', `The ${name} section ${state}: ${SECTION_HINTS[name] ?? 'add it'}.`);
  } else if (name === 'publish.version') {
    ctx.error(
      'missing-version',
      path,
      'key',
      `publish.version ${state}: add \`version: "1.0.0"\` under publish (strict SemVer 2.0.0; the cloud needs it for every upload).`,
    );
  } else {
    ctx.error('missing-key', path, 'key', `${name} ${state}: ${field.doc}`);
  }
}

/** Where a misplaced key really belongs (`version` written under configuration, ...). */
function sectionHolding(key: string, path: KeyPath): string | undefined {
  if (path.length === 0) {
    const section = SERVICE_CONFIG_SCHEMA.find((s) => s.fields?.some((f) => f.key === key));
    return section?.key;
  }
  if (path.length === 1) {
    const section = SERVICE_CONFIG_SCHEMA.find((s) => s.key !== path[0] && s.fields?.some((f) => f.key === key));
    return section?.key;
  }
  return undefined;
}

function checkSize(ctx: RuleContext, node: unknown, path: KeyPath, src: string): void {
  const value = isScalar(node) ? node.value : undefined;
  if ((typeof value === 'string' || typeof value === 'number') && parseSize(value)) return;
  const name = formatKeyPath(path);
  if (typeof value === 'string' && isBinarySizeUnit(value)) {
    ctx.error(
      'size-binary-unit',
      path,
      'value',
      `${name}: binary units such as MiB are for v2 configs and the v1 upload tool rejects them; got '${src}'. Write bytes or a decimal unit (k, m, g; e.g. 100M) or ki.`,
    );
    return;
  }
  ctx.error(
    'invalid-size',
    path,
    'value',
    `${name} must be a size: a number of bytes or a number with k/kb, m/mb, g/gb (decimal) or ki (1024), e.g. 100M; got '${src}'.`,
  );
}

const SERVICE_POLICY: SchemaPolicy = {
  fields: SERVICE_CONFIG_SCHEMA,
  rootMessage: 'config.yaml must be a map with the sections build, publish and configuration.',
  rejecter: 'the upload tool',
  missing,
  unknownReason: (key, path) => UNIT_SIDE_ONLY[formatKeyPath([...path, key])],
  belongsUnder: sectionHolding,
  checkSize,
  // Lists whose items another rule checks in full (integers and strings mixed).
  itemsCheckedElsewhere: new Set(['configuration.exposedPorts']),
  // Older configs list layer uids only.
  bareStringItems: new Set(['configuration.layers']),
  emptyCheckedElsewhere: new Set(['publish.service_uid']),
};

export function checkStructure(ctx: RuleContext): void {
  walkSchema(ctx, SERVICE_POLICY);
}
