// The node parameters a unit knows and the author does not (oci-output.md §5), with the
// defaults main applies (src/main/core/oci/types.ts DEFAULT_NODE_PARAMS; the renderer may
// not import main). The panel shows `preview.node` as the effective values; these are the
// placeholders and help texts of the inputs.
import type { NodeParams } from '../../shared/contract';

export type EditableNodeParam = 'maxDMIPS' | 'cpuCount' | 'uid' | 'gid' | 'instanceId';

export interface NodeParamField {
  key: EditableNodeParam;
  label: string;
  kind: 'number' | 'text';
  default: number | string;
  help: string;
  min?: number;
}

export const NODE_PARAM_FIELDS: readonly NodeParamField[] = [
  { key: 'maxDMIPS', label: 'Node max DMIPS', kind: 'number', default: 10000, min: 1, help: 'Total DMIPS of the node; default 10000 (a mid-range ARM/x86 board).' },
  { key: 'cpuCount', label: 'CPU count', kind: 'number', default: 1, min: 1, help: 'CPUs of the node; default 1.' },
  { key: 'uid', label: 'Instance uid', kind: 'number', default: 5000, min: 0, help: 'uid the unit allocates to the instance; default 5000 (units allocate from 5000 up).' },
  { key: 'gid', label: 'Service gid', kind: 'number', default: 5000, min: 0, help: 'gid the unit allocates to the service; default 5000.' },
  { key: 'instanceId', label: 'Instance id', kind: 'text', default: 'preview-instance-0', help: 'Instance id the unit generates; default preview-instance-0.' },
];

/** Only the values the user changed; absent ones take main's defaults. */
export type NodeOverrides = Pick<NodeParams, EditableNodeParam>;

export function cleanOverrides(node: NodeOverrides): NodeOverrides {
  const out: NodeOverrides = {};
  for (const f of NODE_PARAM_FIELDS) {
    const v = node[f.key];
    if (v === undefined || v === '') continue;
    (out as Record<string, unknown>)[f.key] = v;
  }
  return out;
}
