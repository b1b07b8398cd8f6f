// Where the relative credential paths of a signed bundle's config are looked up: the meta/
// folder of the service it was signed from (v1), or the deployment bundle's own folder (v2).
// Without the folder (a bundle file picked on its own), the file's folder stands in for it:
// its meta/ when it lies in a service folder (sign's default output), else itself.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function credentialsDirOf(file: string, root?: string): string {
  const folder = root ?? path.dirname(file);
  const meta = path.join(folder, 'meta');
  return existsSync(path.join(meta, 'config.yaml')) ? meta : folder;
}
