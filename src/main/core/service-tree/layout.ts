// Where things live in a service tree (service-bundle.md §1). The platform's tool always
// runs from the service root and reads meta/config.yaml there.
import { join } from 'node:path';

export const META_DIR = 'meta';
export const CONFIG_FILE = 'config.yaml';
export const DEFAULT_SOURCE_FOLDER = 'src';

export const configPathOf = (root: string): string => join(root, META_DIR, CONFIG_FILE);
export const metaDirOf = (root: string): string => join(root, META_DIR);
