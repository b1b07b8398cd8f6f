// Runtime settings that depend on each other: working dir, resource limits vs. the
// version, and the memory floor container runners need.
import { formatKeyPath, type KeyPath } from '../../diagnostics';
import { isPrerelease, isStrictSemver } from '../../config-common/semver-strict';
import { formatBytes, parseSize } from '../units';
import type { RuleContext } from '../../config-common/rule-context';

/** crun and runc refuse to start a container below this memory limit (spec §2). */
export const CONTAINER_MEMORY_FLOOR = 6_000_000;

const VM_RUNNERS = ['xrun', 'runx'];

export function checkWorkingDir(ctx: RuleContext): void {
  const dir = ctx.value(['configuration', 'workingDir']);
  if (typeof dir === 'string' && !dir.startsWith('/')) {
    ctx.error(
      'not-absolute-path',
      ['configuration', 'workingDir'],
      'value',
      `configuration.workingDir must be an absolute path in the container, e.g. /${dir.replace(/^\.?\/*/, '')}; got '${dir}'.`,
    );
  }
}

export function checkResourceLimits(ctx: RuleContext): void {
  if (ctx.value(['configuration', 'isResourceLimits']) !== false) return;
  const version = ctx.value(['publish', 'version']);
  if (isStrictSemver(version) && isPrerelease(version)) return;
  const shown = version === undefined || version === null ? 'not set' : `'${ctx.source(['publish', 'version'])}'`;
  ctx.error(
    'resource-limits-release',
    ['configuration', 'isResourceLimits'],
    'value',
    `configuration.isResourceLimits: false is allowed only for pre-release versions (publish.version such as 1.0.0-rc.1); publish.version is ${shown}. Set it to true or remove it.`,
  );
}

/**
 * Whether the service runs in a container (crun/runc), from the values of `runner` and
 * `runners`. `runner` wins when set; without it the device picks from `runners` (default
 * [crun, runc]), so only a list made of VM runners (xrun, runx) means no container. Pure: the
 * preview (main) asks the same question of the same values.
 */
export function runsInContainerWith(runner: unknown, runners: unknown): boolean {
  if (typeof runner === 'string' && ['crun', 'runc', ...VM_RUNNERS].includes(runner)) return !VM_RUNNERS.includes(runner);
  if (Array.isArray(runners) && runners.length > 0 && runners.every((r) => VM_RUNNERS.includes(r as string))) return false;
  return true;
}

export function runsInContainer(ctx: RuleContext): boolean {
  return runsInContainerWith(ctx.value(['configuration', 'runner']), ctx.value(['configuration', 'runners']));
}

/**
 * Whether a cmd value gives the process no argument at all: absent, empty, blank or an empty
 * list (values of another type are the schema walk's to report).
 */
export function isMissingCommand(cmd: unknown): boolean {
  if (cmd === undefined || cmd === null) return true;
  if (typeof cmd === 'string') return cmd.trim() === '';
  return Array.isArray(cmd) && cmd.length === 0;
}

export const MISSING_CMD_MESSAGE =
  'configuration.cmd is not set: the unit would start the container with empty process args (process.args: []), which crun and runc refuse. ' +
  'Set the start command, e.g. `cmd: python3 /app.py`; only VM runners (runners: [xrun]) start without one.';

/** crun/runc need a command; VM runners (xrun, runx) boot a kernel image instead. */
export function checkCommand(ctx: RuleContext): void {
  if (!runsInContainer(ctx)) return;
  if (!isMissingCommand(ctx.value(['configuration', 'cmd']))) return;
  ctx.error('missing-cmd', ['configuration', 'cmd'], 'key', MISSING_CMD_MESSAGE);
}

export function checkMemoryFloor(ctx: RuleContext): void {
  if (!runsInContainer(ctx)) return;
  const paths: KeyPath[] = [
    ['configuration', 'quotas', 'mem'],
    ['configuration', 'requestedResources', 'ram'],
  ];
  for (const path of paths) {
    const raw = ctx.value(path);
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const size = parseSize(raw);
    if (!size || size.bytes >= CONTAINER_MEMORY_FLOOR) continue; // invalid sizes are reported by the schema walk
    ctx.error(
      'memory-below-minimum',
      path,
      'value',
      `${formatKeyPath(path)} is ${ctx.source(path)} (${formatBytes(size.bytes)}, ${size.convention}); container runners (crun, runc) need at least 6 MB (6000000 bytes), e.g. 8M.`,
    );
  }
}
