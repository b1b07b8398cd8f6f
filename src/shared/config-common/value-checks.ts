// Value checks shared by several rules; each returns a message fragment or null when fine.

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
export function isHostName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  return text.split('.').every((label) => HOST_LABEL.test(label));
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A port or port range as written in exposedPorts / allowedConnections: `9000` or
 * `8089-8090`. Returns a reason when invalid.
 */
export function portRangeProblem(text: string): string | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return `'${text}' is not a port number (1..65535) or range such as 8089-8090`;
  const start = Number(m[1]);
  const end = m[2] === undefined ? undefined : Number(m[2]);
  for (const p of [start, end]) {
    if (p !== undefined && (p < 1 || p > 65535)) return `port ${p} is outside 1..65535`;
  }
  if (end !== undefined && start >= end) return `range ${text} must start below its end (e.g. ${start}-${start + 1})`;
  return null;
}

export const PROTOCOLS = ['tcp', 'udp'] as const;

export function protocolProblem(text: string): string | null {
  if ((PROTOCOLS as readonly string[]).includes(text)) return null;
  if ((PROTOCOLS as readonly string[]).includes(text.toLowerCase())) return `protocol '${text}' must be lower case: ${text.toLowerCase()}`;
  return `protocol '${text}' must be tcp or udp`;
}
