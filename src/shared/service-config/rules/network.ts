// configuration.exposedPorts and configuration.allowedConnections (the checks are shared
// with the deployment config; v1 connects to service uuids only).
import { checkAllowedConnectionsAt, checkExposedPortsAt } from '../../config-common/network';
import type { RuleContext } from '../../config-common/rule-context';

const CONNECTION_HELP = 'Write "<service-uuid>/<port or range>/<tcp|udp>", e.g. 9931560c-be75-4f60-9abf-08297d905332/8087-8088/tcp.';

export function checkExposedPorts(ctx: RuleContext): void {
  checkExposedPortsAt(ctx, ['configuration', 'exposedPorts']);
}

export function checkAllowedConnections(ctx: RuleContext): void {
  checkAllowedConnectionsAt(ctx, ['configuration', 'allowedConnections'], { hostNames: false, help: CONNECTION_HELP });
}
