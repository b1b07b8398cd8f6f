// dpkg and opkg status databases (`var/lib/dpkg/status`, `var/lib/opkg/status`,
// `usr/lib/opkg/status`): RFC 822-style paragraphs, one per package, separated by blank
// lines; a line starting with a blank continues the field before it. Only packages whose
// Status says they are installed count: dpkg keeps removed packages' config-files entries.

export interface ControlPackage {
  name: string;
  version: string;
  architecture?: string;
  license?: string;
}

/** Field maps (names lower-cased) of each paragraph. */
export function parseControlParagraphs(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      if (current.size) out.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (last !== undefined) current.set(last, `${current.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    current.set(last, line.slice(colon + 1).trim());
  }
  if (current.size) out.push(current);
  return out;
}

/** The Status words dpkg and opkg write for a package whose files are on the system. */
const INSTALLED_STATES = new Set(['installed', 'triggers-pending', 'triggers-awaited']);

export function installedPackages(text: string): ControlPackage[] {
  const out: ControlPackage[] = [];
  for (const p of parseControlParagraphs(text)) {
    const name = p.get('package');
    const version = p.get('version');
    if (!name || !version) continue;
    const status = p.get('status');
    if (status !== undefined && !INSTALLED_STATES.has(status.split(/\s+/).pop() ?? '')) continue;
    const pkg: ControlPackage = { name, version };
    const arch = p.get('architecture');
    if (arch) pkg.architecture = arch;
    const license = p.get('license');
    if (license && !license.includes('\n')) pkg.license = license;
    out.push(pkg);
  }
  return out;
}
