// Node packages installed in a layer: the `package.json` at the root of each package folder
// under a `node_modules` folder (`node_modules/<name>/` or `node_modules/@scope/<name>/`).
// Other package.json files (a package's own test fixtures, sub-folders) are not packages.

export interface NodePackage {
  name: string;
  version: string;
  license?: string;
}

const PACKAGE_JSON = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@.][^/]*)\/package\.json$/;

/** The package folder name (`@scope/name`) when `path` is a package's own package.json. */
export function nodePackageFolder(path: string): string | undefined {
  return PACKAGE_JSON.exec(path)?.[1];
}

export function parseNodePackage(text: string): NodePackage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const j = json as Record<string, unknown>;
  if (typeof j.name !== 'string' || typeof j.version !== 'string' || !j.name || !j.version) return undefined;
  const pkg: NodePackage = { name: j.name, version: j.version };
  const license = licenseOf(j);
  if (license) pkg.license = license;
  return pkg;
}

/** `license` as a string, or the old `{type}` / `licenses: [{type}]` forms. */
function licenseOf(j: Record<string, unknown>): string | undefined {
  const typeOf = (v: unknown) => (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string' ? (v as { type: string }).type : undefined);
  if (typeof j.license === 'string') return j.license;
  const t = typeOf(j.license);
  if (t) return t;
  if (Array.isArray(j.licenses)) {
    const types = j.licenses.map(typeOf).filter((x): x is string => !!x);
    if (types.length === 1) return types[0];
    if (types.length > 1) return `(${types.join(' OR ')})`;
  }
  return undefined;
}
