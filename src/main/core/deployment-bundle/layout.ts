// Where things live in a deployment bundle (deployment-bundle.md §1): config.yaml at the
// bundle root, everything it references below it.
import { join } from 'node:path';

export const BUNDLE_CONFIG_FILE = 'config.yaml';

export const bundleConfigPathOf = (root: string): string => join(root, BUNDLE_CONFIG_FILE);
