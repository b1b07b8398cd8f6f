// `schemaVersion: 2` is what makes a config.yaml a deployment bundle (spec §2).
import { isMap, isScalar } from 'yaml';
import type { RuleContext } from '../../config-common/rule-context';

export function checkSchemaVersion(ctx: RuleContext): void {
  const root = ctx.parsed.doc.contents;
  // A document that is not a map is reported by the schema walk.
  if (!isMap(root)) {
    if (root == null || (isScalar(root) && root.value == null)) {
      ctx.error('missing-schema-version', ['schemaVersion'], 'key', 'schemaVersion is missing: a deployment bundle starts with `schemaVersion: 2`.');
    }
    return;
  }
  const node = ctx.node(['schemaVersion']);
  if (node === undefined) {
    ctx.error('missing-schema-version', ['schemaVersion'], 'key', 'schemaVersion is missing: a deployment bundle starts with `schemaVersion: 2`.');
    return;
  }
  const value = isScalar(node) ? node.value : undefined;
  if (value === 2) return;
  const src = ctx.source(['schemaVersion']);
  const hint = value === '2' ? ' Write it as a number, without quotes.' : '';
  ctx.error('invalid-schema-version', ['schemaVersion'], 'value', `schemaVersion must be 2 for a deployment bundle; got '${src}'.${hint}`);
}
