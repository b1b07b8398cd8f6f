// What the service may touch: environment, devices, and functional-server permissions.
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import { keyText, sourceText } from '../../config-common/nodes';
import type { RuleContext } from '../../config-common/rule-context';

const ENV_RE = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const DEVICE_MODE_RE = /^(?!.*(.).*\1)[rwm]+$/;
const PERMISSION_MODES = ['r', 'w', 'rw'];

export function checkEnv(ctx: RuleContext): void {
  const base: KeyPath = ['configuration', 'env'];
  const list = ctx.node(base);
  if (!isSeq(list)) return;
  const seen = new Map<string, string>();
  list.items.forEach((item, i) => {
    const path = [...base, i];
    if (!isScalar(item) || typeof item.value !== 'string') return; // type reported by the schema walk
    const m = ENV_RE.exec(item.value);
    if (!m) {
      ctx.error(
        'invalid-env',
        path,
        'value',
        `${formatKeyPath(path)} must be NAME=value (NAME of letters, digits and _, not starting with a digit); got '${item.value}'.`,
      );
      return;
    }
    const previous = seen.get(m[1]);
    if (previous) {
      ctx.warning('duplicate-env', path, 'value', `${m[1]} is already set at ${previous}; the later value wins. Remove one of them.`);
    } else {
      seen.set(m[1], formatKeyPath(path));
    }
  });
}

export function checkDevices(ctx: RuleContext): void {
  const base: KeyPath = ['configuration', 'devices'];
  const list = ctx.node(base);
  if (!isSeq(list)) return;
  list.items.forEach((item, i) => {
    const path = [...base, i, 'mode'];
    const mode = ctx.value(path);
    if (!isMap(item) || typeof mode !== 'string') return;
    if (!DEVICE_MODE_RE.test(mode)) {
      ctx.error(
        'invalid-device-mode',
        path,
        'value',
        `${formatKeyPath(path)} must combine r (read), w (write) and m (mknod), each at most once, e.g. rw or rwm; got '${mode}'.`,
      );
    }
  });
}

export function checkPermissions(ctx: RuleContext): void {
  const base: KeyPath = ['configuration', 'permissions'];
  const servers = ctx.node(base);
  if (!isMap(servers)) return;
  for (const serverPair of servers.items) {
    const server = isPair(serverPair) ? keyText(serverPair) : undefined;
    if (server === undefined) continue;
    const serverPath = [...base, server];
    const functions = serverPair.value;
    if (!isMap(functions)) {
      ctx.error(
        'invalid-permission',
        serverPath,
        'value',
        `${formatKeyPath(serverPath)} must map functions to access modes, e.g. Signal.Doors.*: rw.`,
      );
      continue;
    }
    for (const fnPair of functions.items) {
      const fn = isPair(fnPair) ? keyText(fnPair) : undefined;
      if (fn === undefined) continue;
      const value = isScalar(fnPair.value) ? fnPair.value.value : undefined;
      if (typeof value === 'string' && PERMISSION_MODES.includes(value)) continue;
      const path = [...serverPath, fn];
      ctx.error(
        'invalid-permission',
        path,
        'value',
        `Access to ${server} function '${fn}' must be r, w or rw; got '${sourceText(fnPair.value, ctx.parsed.text)}'.`,
      );
    }
  }
}
