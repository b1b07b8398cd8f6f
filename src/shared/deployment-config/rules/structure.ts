// Schema-driven checks of the v2 config: the shared schema walk (config-common) with the
// v2 policy: its words for missing keys, the v1 keys people carry over, binary size units
// and SemVer constraints. Rules between values run after it.
import { isScalar } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import type { FieldSpec } from '../../config-common/types';
import { versionConstraintProblem } from '../../config-common/ranges';
import { fieldName, walkSchema, type SchemaPolicy } from '../../config-common/schema-walk';
import type { RuleContext } from '../../config-common/rule-context';
import { DEPLOYMENT_FIELDS } from '../schema';
import { binaryUnitFor, parseBinarySize } from '../units';

/** What a missing required key needs, in words, by index-free name. */
const MISSING_HINTS: Record<string, string> = {
  publish: 'add `publish:` with `tlsKey: <your .p12 file>` (the PKCS#12 used for mutual TLS and signing)',
  'publish.tlsKey': 'add `tlsKey: aos-user-oem.p12` under publish: the PKCS#12 file used for mutual TLS with the cloud and for signing',
  items: 'add `items:` with at least one item (identity, version, images)',
  'items.identity': 'add `identity:` with type (service, layer or component) and codename',
  'items.identity.type': 'add `type:` with service, layer or component',
  'items.identity.codename': "add `codename:`: the item's identity in the cloud",
  'items.version': 'add `version: 1.0.0` (strict SemVer 2.0.0)',
  'items.images': 'add `images:` with one image per architecture (archInfo and path or sourceFolder)',
  'items.images.archInfo': 'add `archInfo: {architecture: amd64}` (amd64, arm64, arm with variant, or any)',
  'items.images.archInfo.architecture': 'add `architecture:` with amd64, arm64, arm (with variant) or any',
  'items.dependencies.identity': 'add `identity: {type: layer, codename: <parent>}`',
  'items.dependencies.identity.type': 'add `type:` with service, layer or component',
  'items.dependencies.identity.codename': 'add `codename:` of the item depended on',
  'items.dependencies.versions': 'add `versions: ">=1.0.0 <2.0.0"` (a SemVer constraint)',
};

function missing(ctx: RuleContext, field: FieldSpec, path: KeyPath, present: boolean): void {
  const name = fieldName(path);
  // schemaVersion has its own rule, with the words of what makes a deployment bundle.
  if (name === 'schemaVersion' && !present) return;
  const state = present ? 'has no value' : 'is missing';
  const code = path.length === 1 ? 'missing-section' : 'missing-key';
  ctx.error(code, path, 'key', `${formatKeyPath(path)} ${state}: ${MISSING_HINTS[name] ?? field.doc}.`.replace(/\.\.$/, '.'));
}

/** v1 keys people carry over into a v2 config, with what replaces them. */
const V1_KEYS: Record<string, string> = {
  build: 'that is a v1 service config section; a deployment bundle has publish and items (sign settings go under publish)',
  configuration: "that is a v1 service config section; in a deployment bundle a service's configuration goes under its item (items[].configuration)",
  'publish.tls_pkcs12': 'that is the v1 key; a deployment bundle names the PKCS#12 `tlsKey`',
  'publish.url': 'that is the v1 key; a deployment bundle names the cloud host `domain`',
  'publish.service_uid': "a deployment bundle needs no uid: the item's identity.codename names it",
  'publish.version': 'the version belongs to each item: items[].version',
};

function unknownReason(key: string, path: KeyPath): string | undefined {
  return V1_KEYS[fieldName([...path, key])];
}

/** Where a misplaced key belongs: item keys written at the top level, identity keys at the item level. */
function belongsUnder(key: string, path: KeyPath): string | undefined {
  const name = fieldName(path);
  const items = DEPLOYMENT_FIELDS.find((f) => f.key === 'items')!.fields!;
  if (name === '' && items.some((f) => f.key === key)) return 'each item (items[])';
  if (name === 'items' && items.find((f) => f.key === 'identity')!.fields!.some((f) => f.key === key)) return `${formatKeyPath(path)}.identity`;
  if (name === 'items' && items.find((f) => f.key === 'configuration')!.fields!.some((f) => f.key === key)) return `${formatKeyPath(path)}.configuration`;
  return undefined;
}

function checkSize(ctx: RuleContext, node: unknown, path: KeyPath, src: string): void {
  const value = isScalar(node) ? node.value : undefined;
  if ((typeof value === 'string' || typeof value === 'number') && parseBinarySize(value)) return;
  const name = formatKeyPath(path);
  const meant = typeof value === 'string' ? binaryUnitFor(value) : undefined;
  if (meant) {
    ctx.error(
      'size-decimal-unit',
      path,
      'value',
      `${name}: sizes in a deployment bundle use binary units (KiB, MiB, GiB), unlike v1 configs; got '${src}'. Did you mean ${meant}?`,
    );
    return;
  }
  ctx.error('invalid-size', path, 'value', `${name} must be a size: a number of bytes or a number with KiB, MiB, GiB or TiB (binary: 1 MiB = 1048576 bytes), e.g. 128MiB; got '${src}'.`);
}

function checkRange(ctx: RuleContext, node: unknown, path: KeyPath): void {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value !== 'string') return;
  const problem = versionConstraintProblem(value);
  if (problem) ctx.error('invalid-range', path, 'value', `${formatKeyPath(path)}: ${problem}.`);
}

const DEPLOYMENT_POLICY: SchemaPolicy = {
  fields: DEPLOYMENT_FIELDS,
  rootMessage: 'config.yaml must be a map with schemaVersion: 2, publish and items.',
  rejecter: "the platform's tool",
  missing,
  unknownReason,
  belongsUnder,
  checkSize,
  checkRange: (ctx, node, path) => checkRange(ctx, node, path),
  itemsCheckedElsewhere: new Set(['items.configuration.exposedPorts']),
  // Their own rules say it better (with "did you mean" for the v1 names).
  valueCheckedElsewhere: new Set(['schemaVersion', 'items.images.archInfo.architecture']),
};

export function checkStructure(ctx: RuleContext): void {
  walkSchema(ctx, DEPLOYMENT_POLICY);
}
