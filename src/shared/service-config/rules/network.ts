// configuration.exposedPorts and configuration.allowedConnections.
import { isScalar, isSeq } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import { sourceText } from '../../config-common/nodes';
import { portRangeProblem, protocolProblem, UUID_RE } from '../../config-common/value-checks';
import type { RuleContext } from '../../config-common/rule-context';

const PORT_HELP = 'Write a port such as 9000, or "8089-8090/tcp", "1515/udp".';
const CONNECTION_HELP = 'Write "<service-uuid>/<port or range>/<tcp|udp>", e.g. 9931560c-be75-4f60-9abf-08297d905332/8087-8088/tcp.';

export function checkExposedPorts(ctx: RuleContext): void {
  const base: KeyPath = ['configuration', 'exposedPorts'];
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

export function checkAllowedConnections(ctx: RuleContext): void {
  const base: KeyPath = ['configuration', 'allowedConnections'];
  const list = ctx.node(base);
  if (!isSeq(list)) return;
  list.items.forEach((item, i) => {
    const path = [...base, i];
    const value = isScalar(item) ? item.value : undefined;
    if (typeof value !== 'string') return; // type reported by the schema walk
    const parts = value.split('/');
    let problem: string | null;
    if (parts.length !== 3) problem = `'${value}' must have exactly three parts separated by '/'`;
    else if (!UUID_RE.test(parts[0])) problem = `'${parts[0]}' is not a service UUID`;
    else problem = portRangeProblem(parts[1]) ?? protocolProblem(parts[2]);
    if (problem) ctx.error('invalid-connection', path, 'value', `${formatKeyPath(path)}: ${problem}. ${CONNECTION_HELP}`);
  });
}
