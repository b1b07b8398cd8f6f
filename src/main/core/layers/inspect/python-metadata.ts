// Python distribution metadata: `*.dist-info/METADATA` (core metadata 1.x-2.4) and
// `*.egg-info/PKG-INFO` (or a `*.egg-info` file holding the same): e-mail-style header
// fields up to the first blank line, then the description, which is not read.

export interface PythonDistribution {
  name: string;
  version: string;
  /** License-Expression (metadata 2.4) when given, else a one-line License field. */
  license?: string;
}

export function parsePythonMetadata(text: string): PythonDistribution | undefined {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (last !== undefined) fields.set(last, `${fields.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    // Repeated fields (Classifier, Requires-Dist) are not used; the first value is kept.
    if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
    else last = undefined;
  }
  const name = fields.get('name');
  const version = fields.get('version');
  if (!name || !version) return undefined;
  const dist: PythonDistribution = { name, version };
  const expression = fields.get('license-expression');
  const license = fields.get('license');
  // A multi-line License field is the license text, not a name.
  if (expression) dist.license = expression;
  else if (license && !license.includes('\n') && license.length <= 200 && license !== 'UNKNOWN') dist.license = license;
  return dist;
}
