// configuration.layers (layers.md §3): each layer once, and a range that can match.
// Item shapes and SemVer syntax are checked by the schema walk.
import { isMap, isScalar, isSeq } from 'yaml';
import semver from 'semver';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import { isStrictSemver } from '../../config-common/semver-strict';
import type { RuleContext } from '../../config-common/rule-context';

export function checkLayers(ctx: RuleContext): void {
  const base: KeyPath = ['configuration', 'layers'];
  const list = ctx.node(base);
  if (!isSeq(list)) return;
  const seen = new Map<string, KeyPath>();

  list.items.forEach((item, i) => {
    const here: KeyPath = [...base, i];
    let uidPath: KeyPath;
    if (isScalar(item) && typeof item.value === 'string') uidPath = here;
    else if (isMap(item)) uidPath = [...here, 'uid'];
    else return;

    const uid = ctx.value(uidPath);
    if (typeof uid === 'string') {
      if (uid.trim() === '') {
        ctx.error('invalid-layer', uidPath, 'value', `${formatKeyPath(uidPath)} is empty: give the layer's uid, e.g. aos-pylibs-layer.`);
      } else if (seen.has(uid)) {
        ctx.error(
          'duplicate-layer',
          uidPath,
          'value',
          `Layer '${uid}' is listed twice (first at ${formatKeyPath(seen.get(uid)!)}): list each layer once with a single version range.`,
        );
      } else {
        seen.set(uid, here);
      }
    }

    if (!isMap(item)) return;
    const min = ctx.value([...here, 'minVersion']);
    const max = ctx.value([...here, 'maxVersion']);
    if (isStrictSemver(min) && isStrictSemver(max) && semver.compare(min, max) > 0) {
      ctx.error(
        'invalid-layer-range',
        [...here, 'minVersion'],
        'value',
        `${formatKeyPath(here)}: minVersion ${min} is above maxVersion ${max}, so no version can match. ` +
          'minVersion is included and maxVersion excluded; set them equal for exactly one version.',
      );
    }
  });
}
