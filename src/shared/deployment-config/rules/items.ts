// Rules between items (deployment-bundle.md §2): a codename once per type, services and
// components never in one bundle, configuration for services only, skipResourceLimits for
// pre-release versions only.
import { isMap, isScalar, isSeq } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import { isPrerelease, isStrictSemver } from '../../config-common/semver-strict';
import { checkAllowedConnectionsAt, checkExposedPortsAt } from '../../config-common/network';
import type { RuleContext } from '../../config-common/rule-context';

const CONNECTION_HELP = 'Write "<hostname or uuid>/<port or port-port>/<tcp|udp>", e.g. backend/8080/tcp.';

/** The indices of the items that are maps, with their type and codename when written as strings. */
export function itemsOf(ctx: RuleContext): { index: number; type?: string; codename?: string }[] {
  const list = ctx.node(['items']);
  if (!isSeq(list)) return [];
  return list.items.flatMap((item, index) => {
    if (!isMap(item)) return [];
    const type = ctx.value(['items', index, 'identity', 'type']);
    const codename = ctx.value(['items', index, 'identity', 'codename']);
    return [{ index, type: typeof type === 'string' ? type : undefined, codename: typeof codename === 'string' ? codename : undefined }];
  });
}

export function checkItemsPresent(ctx: RuleContext): void {
  const list = ctx.node(['items']);
  if (isSeq(list) && list.items.length === 0) {
    ctx.error('no-items', ['items'], 'value', 'items is empty: a deployment bundle needs at least one item (a layer, a service or a component).');
  }
}

/**
 * A codename is the item's identity in the cloud and a word in file names, URLs and the
 * unit's folders: no whitespace, no '/' or '\\', no control characters.
 */
export function checkCodenameSpelling(ctx: RuleContext): void {
  const list = ctx.node(['items']);
  if (!isSeq(list)) return;
  const check = (path: KeyPath) => {
    const value = ctx.value(path);
    if (typeof value !== 'string' || value === '') return; // missing or not a string: the schema walk says so
    if (!/[\s/\\\p{Cc}]/u.test(value)) return;
    const meant = value.trim().replace(/[\s/\\\p{Cc}]+/gu, '-');
    const hint = meant && meant !== value ? ` Did you mean ${meant}?` : '';
    ctx.error('invalid-codename', path, 'value', `${formatKeyPath(path)} '${value}' may not hold spaces, '/', '\\' or control characters: it names the item in the cloud and on units.${hint}`);
  };
  list.items.forEach((item, i) => {
    if (!isMap(item)) return;
    check(['items', i, 'identity', 'codename']);
    const deps = ctx.node(['items', i, 'dependencies']);
    if (isSeq(deps)) deps.items.forEach((_, j) => check(['items', i, 'dependencies', j, 'identity', 'codename']));
  });
}

export function checkUniqueCodenames(ctx: RuleContext): void {
  const seen = new Map<string, number>();
  for (const item of itemsOf(ctx)) {
    if (item.type === undefined || item.codename === undefined || item.codename === '') continue;
    const key = `${item.type}\u0000${item.codename}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, item.index);
      continue;
    }
    ctx.error(
      'duplicate-codename',
      ['items', item.index, 'identity', 'codename'],
      'value',
      `The ${item.type} '${item.codename}' is listed twice (items[${first}] and items[${item.index}]); a codename names one ${item.type} per bundle: merge their images into one item or rename one.`,
    );
  }
}

export function checkNoServicesWithComponents(ctx: RuleContext): void {
  const items = itemsOf(ctx);
  const service = items.find((i) => i.type === 'service');
  const component = items.find((i) => i.type === 'component');
  if (!service || !component) return;
  // Reported at whichever of the two comes second: the first one set what the bundle is.
  const later = service.index > component.index ? service : component;
  const earlier = later === service ? component : service;
  ctx.error(
    'services-with-components',
    ['items', later.index, 'identity', 'type'],
    'value',
    `A bundle must not mix services and components: items[${earlier.index}] is a ${earlier.type} and items[${later.index}] a ${later.type}. Services come from service providers and components from OEMs; put them in two bundles.`,
  );
}

export function checkServiceConfiguration(ctx: RuleContext): void {
  for (const item of itemsOf(ctx)) {
    const base: KeyPath = ['items', item.index, 'configuration'];
    if (ctx.node(base) === undefined) continue;
    if (item.type !== undefined && item.type !== 'service') {
      ctx.error(
        'configuration-not-service',
        base,
        'key',
        `${formatKeyPath(base)}: configuration is for services only, and items[${item.index}] is a ${item.type}; remove it.`,
      );
      continue;
    }
    checkSkipResourceLimits(ctx, item.index);
    checkExposedPortsAt(ctx, [...base, 'exposedPorts']);
    checkAllowedConnectionsAt(ctx, [...base, 'allowedConnections'], { hostNames: true, help: CONNECTION_HELP });
  }
}

function checkSkipResourceLimits(ctx: RuleContext, index: number): void {
  const path: KeyPath = ['items', index, 'configuration', 'skipResourceLimits'];
  const node = ctx.node(path);
  if (!isScalar(node) || node.value !== true) return;
  const version = ctx.value(['items', index, 'version']);
  // An invalid version is reported on its own; this rule needs a version to judge.
  if (!isStrictSemver(version) || isPrerelease(version)) return;
  ctx.error(
    'skip-limits-release',
    path,
    'value',
    `${formatKeyPath(path)}: skipResourceLimits is allowed only for pre-release versions, and items[${index}].version is ${version}. Use a pre-release version such as ${version}-beta.1, or remove skipResourceLimits.`,
  );
}
