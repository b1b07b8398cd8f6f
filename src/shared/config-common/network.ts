// Exposed ports and allowed connections, written the same way in both config kinds; only
// the key path and who may be connected to (a service uuid in v1; a host name or uuid in
// v2) differ.
import { isScalar, isSeq } from 'yaml';
import { formatKeyPath, type KeyPath } from '../diagnostics';
import { sourceText } from './nodes';
import { isHostName, portRangeProblem, protocolProblem, UUID_RE } from './value-checks';
import type { RuleContext } from './rule-context';

const PORT_HELP = 'Write a port such as 9000, or "8089-8090/tcp", "1515/udp".';

/** Each item of the list at `base`: a port, a range, optionally with /tcp or /udp. */
export function checkExposedPortsAt(ctx: RuleContext, base: KeyPath): void {
  const list = ctx.node(base);
  if (!isSeq(list)) return;
  list.items.forEach((item, i) => {
    const path = [...base, i];
    const name = formatKeyPath(path);
    const value = isScalar(item) ? item.value : undefined;
    let problem: string | null = null;
    if (typeof value === 'number') {
      problem = Number.isInteger(value) ? portRangeProblem(String(value)) : `'${sourceText(item, ctx.parsed.text)}' is not a port number`;
    } else if (typeof value === 'string') {
      // The upload tool crashes on a bare string port without protocol; the format allows
      // it, so we accept "9000" (and "8089-8090") without a protocol.
      const parts = value.split('/');
      if (parts.length > 2) problem = `'${value}' has too many '/' parts`;
      else problem = portRangeProblem(parts[0]) ?? (parts.length === 2 ? protocolProblem(parts[1]) : null);
    } else {
      problem = `expected a port or a "port/protocol" string, got '${sourceText(item, ctx.parsed.text)}'`;
    }
    if (problem) ctx.error('invalid-port', path, 'value', `${name}: ${problem}. ${PORT_HELP}`);
  });
}

export interface ConnectionTargets {
  /** Whether a host name may stand where the uuid does (v2). */
  hostNames: boolean;
  /** The format, for the message. */
  help: string;
}

/** Each item of the list at `base`: `<target>/<port or range>/<tcp|udp>`. */
export function checkAllowedConnectionsAt(ctx: RuleContext, base: KeyPath, targets: ConnectionTargets): void {
  const list = ctx.node(base);
  if (!isSeq(list)) return;
  list.items.forEach((item, i) => {
    const path = [...base, i];
    const value = isScalar(item) ? item.value : undefined;
    if (typeof value !== 'string') return; // type reported by the schema walk
    const parts = value.split('/');
    let problem: string | null;
    if (parts.length !== 3) problem = `'${value}' must have exactly three parts separated by '/'`;
    else if (!UUID_RE.test(parts[0]) && !(targets.hostNames && isHostName(parts[0]))) {
      problem = targets.hostNames ? `'${parts[0]}' is neither a host name nor a uuid` : `'${parts[0]}' is not a service UUID`;
    } else problem = portRangeProblem(parts[1]) ?? protocolProblem(parts[2]);
    if (problem) ctx.error('invalid-connection', path, 'value', `${formatKeyPath(path)}: ${problem}. ${targets.help}`);
  });
}
