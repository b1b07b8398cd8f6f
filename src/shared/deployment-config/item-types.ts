// Who may upload a deployment bundle depends on its items' types (deployment-bundle.md §1, §5):
// the types as written, read from the text even while it does not validate.
import { getConfigValue } from '../config-common/edit';
import { parseDeploymentConfig } from './parse';

/** The items' `identity.type` values as written ('' where an item has none). */
export function deploymentItemTypes(text: string): string[] {
  const items = getConfigValue(parseDeploymentConfig(text).value, ['items']);
  return Array.isArray(items) ? items.map((item) => String(getConfigValue(item, ['identity', 'type']) ?? '')) : [];
}
