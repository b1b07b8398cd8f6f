// Schema-driven checks: unknown keys (with suggestions), required keys, and the type of
// every value per its FieldSpec kind. Semantic rules (credentials, layers, ports...) live
// in the per-section modules and run after this one.
import { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import type { FieldSpec } from '../index';
import { isStrictSemver } from '../../config-common/semver-strict';
import { SERVICE_CONFIG_SCHEMA } from '../schema';
import { closest } from '../../config-common/suggest';
import { isBinarySizeUnit, parseDuration, parseSize } from '../units';
import { isEmptyNode, keyText, sourceText } from '../../config-common/nodes';
import { isHostName } from '../../config-common/value-checks';
import type { RuleContext } from '../../config-common/rule-context';

/** Lists whose items another rule checks in full (integers and strings mixed). */
const ITEMS_CHECKED_ELSEWHERE = new Set(['configuration.exposedPorts']);

/** Object lists whose items may also be a bare string: older configs list layer uids only. */
const BARE_STRING_ITEMS = new Set(['configuration.layers']);

/** Fields whose empty value another rule reports with a better message. */
const EMPTY_CHECKED_ELSEWHERE = new Set(['publish.service_uid']);

const SECTION_HINTS: Record<string, string> = {
  build: 'add `build:` with os, arch and sign_pkcs12 (or sign_key + sign_certificate)',
  publish: 'it is required for upload and holds the required version; add `publish:` with url, service_uid, tls_pkcs12 and version',
  configuration: 'add `configuration:` with at least cmd and workingDir',
};

export function checkStructure(ctx: RuleContext): void {
  const root = ctx.parsed.doc.contents;
  if (isMap(root)) {
    checkMap(ctx, SERVICE_CONFIG_SCHEMA, root, []);
    return;
  }
  if (!isEmptyNode(root)) {
    ctx.error('invalid-type', [], 'value', 'config.yaml must be a map with the sections build, publish and configuration.');
  }
  reportMissing(ctx, SERVICE_CONFIG_SCHEMA, []);
}

function checkMap(ctx: RuleContext, fields: readonly FieldSpec[], map: YAMLMap<unknown, unknown>, path: KeyPath): void {
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const key = keyText(pair);
    if (key === undefined) {
      ctx.error('invalid-key', path, 'key', `${where(path)} has a key that is not a plain name; use simple keys.`);
      continue;
    }
    const field = fields.find((f) => f.key === key);
    if (!field) unknownKey(ctx, key, fields, path);
    else checkField(ctx, field, pair.value, [...path, key]);
  }
  reportMissing(ctx, fields, path, map);
}

function reportMissing(ctx: RuleContext, fields: readonly FieldSpec[], path: KeyPath, map?: YAMLMap<unknown, unknown>): void {
  for (const field of fields) {
    if (!field.required) continue;
    if (map && map.items.some((p) => isPair(p) && keyText(p) === field.key)) continue;
    missing(ctx, field, [...path, field.key], false);
  }
}

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

/**
 * Keys of the unit's JSON that people write into config.yaml, though no v1 key maps to them
 * (oci-output.md §4): still unknown keys, with the reason.
 */
const UNIT_SIDE_ONLY: Record<string, string> = {
  'configuration.sysctl':
    "sysctl is set on the unit side only: no v1 config.yaml key maps to it and the upload tool rejects unknown keys, so remove it (the unit applies the sysctl of the service config the cloud sends).",
};

function unknownKey(ctx: RuleContext, key: string, fields: readonly FieldSpec[], path: KeyPath): void {
  const here = path.length === 0 ? 'at the top level' : `in ${formatKeyPath(path)}`;
  const suggestion = closest(key, fields.map((f) => f.key));
  const unitSide = UNIT_SIDE_ONLY[formatKeyPath([...path, key])];
  let hint: string;
  if (unitSide) {
    hint = unitSide;
  } else if (suggestion) {
    hint = `did you mean '${suggestion}'?`;
  } else {
    const elsewhere = sectionHolding(key, path);
    hint = elsewhere
      ? `'${key}' belongs under ${elsewhere}; move it there.`
      : `the upload tool rejects unknown keys. Known keys: ${fields.map((f) => f.key).join(', ')}.`;
  }
  ctx.error('unknown-key', [...path, key], 'key', `Unknown key '${key}' ${here}: ${hint}`);
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

function checkField(ctx: RuleContext, field: FieldSpec, node: unknown, path: KeyPath): void {
  const name = formatKeyPath(path);
  if (isEmptyNode(node)) {
    if (field.required) missing(ctx, field, path, true);
    else if (field.kind === 'section' && field.fields?.some((f) => f.required)) reportMissing(ctx, field.fields, path);
    else if (!EMPTY_CHECKED_ELSEWHERE.has(name)) {
      ctx.warning('empty-value', path, 'key', `${name} has no value; give it one or comment the key out.`);
    }
    return;
  }
  const src = sourceText(node, ctx.parsed.text);
  const value = isScalar(node) ? node.value : undefined;
  const typeError = (expected: string) =>
    ctx.error('invalid-type', path, 'value', `${name} must be ${expected}; got ${describe(node, src)}.`);

  switch (field.kind) {
    case 'section':
      if (isMap(node)) checkMap(ctx, field.fields ?? [], node, path);
      else typeError(`a map of keys (${(field.fields ?? []).map((f) => f.key).join(', ')})`);
      return;
    case 'map':
      if (!isMap(node)) typeError('a map');
      return;
    case 'string':
    case 'path':
      if (typeof value !== 'string') typeError(stringExpectation(node, src));
      return;
    case 'host':
      if (typeof value !== 'string') typeError(stringExpectation(node, src));
      else if (!isHostName(value)) {
        ctx.error(
          'invalid-host',
          path,
          'value',
          `${name} must be a host name such as aoscloud.io (letters, digits, hyphens and dots; no scheme, port or path); got '${src}'.`,
        );
      }
      return;
    case 'integer':
    case 'number':
      checkNumber(ctx, field, node, path, src);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') typeError('true or false');
      return;
    case 'enum':
      checkEnum(ctx, field, node, path, src);
      return;
    case 'size':
      checkSize(ctx, node, path, src);
      return;
    case 'duration':
      if (typeof value !== 'string' || !parseDuration(value)) {
        ctx.error(
          'invalid-duration',
          path,
          'value',
          `${name} must be an ISO 8601 duration such as PT10S, PT1M or P1DT3H; got '${src}'.`,
        );
      }
      return;
    case 'semver':
      if (!isStrictSemver(value)) {
        ctx.error('invalid-semver', path, 'value', `${name} must be strict SemVer 2.0.0 such as 1.0.0; got '${src}'.`);
      }
      return;
    case 'command':
      if (isSeq(node)) checkItems(ctx, node.items, path, 'string');
      else if (typeof value !== 'string') typeError('a string or a list of strings');
      return;
    case 'string-list':
    case 'enum-list':
    case 'object-list':
      if (!isSeq(node)) {
        typeError(`a list (one \`- item\` per line)`);
        return;
      }
      if (ITEMS_CHECKED_ELSEWHERE.has(name)) return;
      if (field.kind === 'string-list') checkItems(ctx, node.items, path, 'string');
      else if (field.kind === 'enum-list') node.items.forEach((item, i) => checkEnum(ctx, field, item, [...path, i], sourceText(item, ctx.parsed.text)));
      else {
        node.items.forEach((item, i) => {
          if (isMap(item)) checkMap(ctx, field.fields ?? [], item, [...path, i]);
          else if (BARE_STRING_ITEMS.has(name) && isScalar(item) && typeof item.value === 'string') return;
          else ctx.error('invalid-type', [...path, i], 'value', `${name}[${i}] must be a map with ${(field.fields ?? []).map((f) => f.key).join(', ')}.`);
        });
      }
      return;
  }
}

function checkItems(ctx: RuleContext, items: unknown[], path: KeyPath, kind: 'string'): void {
  items.forEach((item, i) => {
    if (isScalar(item) && typeof item.value === kind) return;
    const src = sourceText(item, ctx.parsed.text);
    ctx.error('invalid-type', [...path, i], 'value', `${formatKeyPath([...path, i])} must be a string; got ${describe(item, src)}.`);
  });
}

function checkNumber(ctx: RuleContext, field: FieldSpec, node: unknown, path: KeyPath, src: string): void {
  const name = formatKeyPath(path);
  const value = isScalar(node) ? node.value : undefined;
  const integer = field.kind === 'integer';
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    ctx.error('invalid-type', path, 'value', `${name} must be ${integer ? 'a whole number' : 'a number'}; got ${describe(node, src)}.`);
    return;
  }
  const { min, max } = field;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const bounds = max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `between ${min} and ${max}`;
    ctx.error('out-of-range', path, 'value', `${name} must be ${bounds}; got ${src}.`);
  }
}

function checkEnum(ctx: RuleContext, field: FieldSpec, node: unknown, path: KeyPath, src: string): void {
  const options = field.options ?? [];
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === 'string' && options.includes(value)) return;
  const suggestion = typeof value === 'string' ? closest(value, options) : undefined;
  ctx.error(
    'invalid-enum',
    path,
    'value',
    `${formatKeyPath(path)} must be one of ${options.join(', ')}; got '${src}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
  );
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

function stringExpectation(node: unknown, src: string): string {
  return isScalar(node) ? `a string (quote it: "${src}")` : 'a string';
}

function describe(node: unknown, src: string): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  return `'${src}'`;
}

/** Where a key sits, for messages about the map itself. */
function where(path: KeyPath): string {
  return path.length === 0 ? 'The document' : formatKeyPath(path);
}
