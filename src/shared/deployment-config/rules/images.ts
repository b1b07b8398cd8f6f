// Rules on each item's images (deployment-bundle.md §2): a file (`path`) or a folder
// (`sourceFolder`), exactly one; the architecture an OCI name ("did you mean amd64?" for the
// v1 names); one image per (architecture, variant, os); media types by item type; a layer
// file name that agrees with the item.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import { closest } from '../../config-common/suggest';
import { isStrictSemver } from '../../config-common/semver-strict';
import type { RuleContext } from '../../config-common/rule-context';
import { ARCHITECTURES, MEDIA_TYPES_BY_ITEM_TYPE, type ItemType } from '../schema';
import { architectureOf, parseLayerImageName } from '../layer-image-name';
import { itemsOf } from './items';

/** The one operating system of AosEdge images (deployment-bundle.md §2: os defaults to linux). */
const OS = 'linux';

export function checkImages(ctx: RuleContext): void {
  for (const item of itemsOf(ctx)) {
    const base: KeyPath = ['items', item.index, 'images'];
    const list = ctx.node(base);
    if (!isSeq(list)) continue;
    if (list.items.length === 0) {
      ctx.error('no-images', base, 'value', `${formatKeyPath(base)} is empty: an item needs at least one image (one per architecture).`);
      continue;
    }
    const seen = new Map<string, number>();
    list.items.forEach((image, j) => {
      if (!isMap(image)) return;
      const path: KeyPath = [...base, j];
      checkFileOrFolder(ctx, path);
      const arch = checkArchitecture(ctx, path);
      checkOs(ctx, path);
      checkMediaType(ctx, path, item.type);
      if (item.type === 'layer') checkLayerFileName(ctx, path, item.index, arch);
      if (arch === undefined) return;
      const variant = stringAt(ctx, [...path, 'archInfo', 'variant']) ?? '';
      const os = stringAt(ctx, [...path, 'osInfo', 'os']) ?? 'linux';
      const key = `${arch}\u0000${variant}\u0000${os}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, j);
        return;
      }
      const what = `${arch}${variant ? ` ${variant}` : ''} on ${os}`;
      ctx.error(
        'duplicate-image',
        [...path, 'archInfo', 'architecture'],
        'value',
        `${formatKeyPath(path)} is a second image for ${what} (the first is ${formatKeyPath([...base, first])}); an item has one image per architecture, variant and os.`,
      );
    });
  }
}

function stringAt(ctx: RuleContext, path: KeyPath): string | undefined {
  const v = ctx.value(path);
  return typeof v === 'string' ? v : undefined;
}

function checkFileOrFolder(ctx: RuleContext, path: KeyPath): void {
  const file = ctx.node([...path, 'path']);
  const folder = ctx.node([...path, 'sourceFolder']);
  if (file !== undefined && folder !== undefined) {
    // At whichever key comes second: the first one said what the image is.
    const offsetOf = (key: string) => ctx.parsed.doc.getIn([...path, key], true) as Node | undefined;
    const second = (offsetOf('path')?.range?.[0] ?? 0) > (offsetOf('sourceFolder')?.range?.[0] ?? 0) ? 'path' : 'sourceFolder';
    ctx.error(
      'image-path-and-folder',
      [...path, second],
      'key',
      `${formatKeyPath(path)} has both path and sourceFolder; an image is either a prepared file (path) or a folder (sourceFolder), never both: remove one.`,
    );
  } else if (file === undefined && folder === undefined) {
    ctx.error(
      'image-without-path',
      path,
      'value',
      `${formatKeyPath(path)} names no content: add \`path:\` (a prepared file such as a layer's linux-amd64-1.0.0.tar.gz) or \`sourceFolder:\` (a folder, a service's root filesystem).`,
    );
  }
}

/** The OCI architecture when it is a valid one; reports it otherwise. */
function checkArchitecture(ctx: RuleContext, image: KeyPath): string | undefined {
  const path: KeyPath = [...image, 'archInfo', 'architecture'];
  const node = ctx.node(path);
  if (node == null || (isScalar(node) && node.value == null)) return undefined; // missing: the schema walk says so
  const value = isScalar(node) ? node.value : undefined;
  const name = formatKeyPath(path);
  const known = ARCHITECTURES.join(', ');
  if (typeof value !== 'string') {
    ctx.error('invalid-architecture', path, 'value', `${name} must be one of ${known}; got '${ctx.source(path)}'.`);
    return undefined;
  }
  if ((ARCHITECTURES as readonly string[]).includes(value)) {
    if (value === 'arm' && ctx.node([...image, 'archInfo', 'variant']) === undefined) {
      ctx.warning('arm-without-variant', path, 'value', `${name} is arm without a variant; add \`variant: v7\` (or v6, v5) to archInfo so units pick the right image.`);
    }
    return value;
  }
  const meant = architectureOf(value);
  const suggestion = meant.architecture ?? closest(value, ARCHITECTURES);
  const variant = meant.variant ? ` with variant: ${meant.variant}` : '';
  const hint = suggestion ? ` Did you mean ${suggestion}${variant}?` : '';
  const v1 = meant.architecture ? ` (${value} is the v1 or kernel name; v2 uses OCI names)` : '';
  ctx.error('invalid-architecture', path, 'value', `${name} must be one of ${known}; got '${value}'${v1}.${hint}`);
  return undefined;
}

/**
 * OCI `os` names are lower-case words (linux, windows...) compared as written by units and
 * the cloud, so `Linux` or `my os` never matches a unit: an error. Another well-spelt os is
 * allowed by spec §2 (one image per architecture, variant and os) but AosEdge units run
 * Linux only (oci-output.md §3): a warning.
 */
function checkOs(ctx: RuleContext, image: KeyPath): void {
  const path: KeyPath = [...image, 'osInfo', 'os'];
  const value = ctx.value(path);
  if (typeof value !== 'string' || value === OS) return; // missing: linux by default; not a string: the schema walk says so
  const name = formatKeyPath(path);
  if (!/^[a-z][a-z0-9]*$/.test(value)) {
    const lower = value.trim().toLowerCase().replace(/[^a-z0-9]+/g, '');
    const meant = lower === OS || closest(lower, [OS]) ? OS : lower;
    ctx.error('invalid-os', path, 'value', `${name} must be an OCI os name, a lower-case word such as ${OS} (units compare it as written); got '${value}'.${meant ? ` Did you mean ${meant}?` : ''}`);
    return;
  }
  ctx.warning('os-not-linux', path, 'value', `${name} is ${value}; AosEdge units run Linux only, so no unit picks this image unless it reports os ${value}.`);
}

function checkMediaType(ctx: RuleContext, image: KeyPath, type: string | undefined): void {
  if (type !== 'service' && type !== 'layer' && type !== 'component') return;
  const allowed = MEDIA_TYPES_BY_ITEM_TYPE[type as ItemType];
  const path: KeyPath = [...image, 'mediaType'];
  const value = ctx.value(path);
  if (ctx.node(path) === undefined) {
    if (allowed.length > 0) {
      ctx.warning('missing-media-type', image, 'value', `${formatKeyPath(image)} has no mediaType; a ${type} image is ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}: add \`mediaType:\` so the cloud knows what the file is.`);
    }
    return;
  }
  if (typeof value !== 'string') return; // the schema walk reports the type
  if (allowed.includes(value)) return;
  if (allowed.length === 0) {
    if (ctx.node([...image, 'sourceFolder']) !== undefined) {
      ctx.error('invalid-media-type', path, 'value', `${formatKeyPath(path)}: a service image built from a folder carries no mediaType; remove it.`);
    }
    return;
  }
  const suggestion = closest(value, allowed);
  ctx.error(
    'invalid-media-type',
    path,
    'value',
    `${formatKeyPath(path)} '${value}' is not a ${type} media type; use ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}.${suggestion && allowed.length > 1 ? ` Did you mean ${suggestion}?` : ''}`,
  );
}

/** A layer file named `<os>-<arch>-<version>.tar.gz` whose parts disagree with the item: a warning (the name may be old). */
function checkLayerFileName(ctx: RuleContext, image: KeyPath, itemIndex: number, arch: string | undefined): void {
  const file = stringAt(ctx, [...image, 'path']);
  if (file === undefined) return;
  const parsed = parseLayerImageName(file);
  if (!parsed) return;
  const path: KeyPath = [...image, 'path'];
  const version = stringAt(ctx, ['items', itemIndex, 'version']);
  const problems: string[] = [];
  if (isStrictSemver(version) && parsed.version !== version) problems.push(`version ${parsed.version} while items[${itemIndex}].version is ${version}`);
  if (arch !== undefined && parsed.architecture !== undefined && parsed.architecture !== arch) {
    problems.push(`architecture ${parsed.arch} while archInfo.architecture is ${arch}`);
  }
  const os = stringAt(ctx, [...image, 'osInfo', 'os']) ?? 'linux';
  if (parsed.os !== os) problems.push(`os ${parsed.os} while osInfo.os is ${os}`);
  if (problems.length === 0) return;
  ctx.warning(
    'layer-name-mismatch',
    path,
    'value',
    `${formatKeyPath(path)}: the file name says ${problems.join(', and ')}; check that this is the right file (or rename it).`,
  );
}
