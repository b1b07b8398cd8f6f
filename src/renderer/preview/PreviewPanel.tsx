// The OCI preview beside the config editor: what the cloud generates from config.yaml and
// what a unit runs, for a v8 or a v9 unit. Every traced field names its config.yaml line.
import { useMemo } from 'react';
import { ActionIcon, Alert, Badge, Button, CopyButton, Group, Loader, ScrollArea, SegmentedControl, Tabs, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload, IconFileCode, IconX } from '@tabler/icons-react';
import type { Diagnostic } from '../../shared/contract';
import { JsonView } from './JsonView';
import { LayerFilesTab } from './LayerFilesTab';
import { NodeParamsButton } from './NodeParamsButton';
import { pendingValues } from './pending-digests';
import { blocksFor, fieldLabel, TAB_LABELS, tabOfPointer, type PreviewTab, type Target, type TraceEntryView } from './trace';
import type { PreviewModel } from './use-preview';
import { WarningsTab } from './WarningsTab';
import classes from './PreviewPanel.module.css';

export interface Picked {
  pointer: string;
  entry: TraceEntryView;
}

interface Props {
  model: PreviewModel;
  target: Target;
  onTarget: (target: Target) => void;
  tab: PreviewTab;
  onTab: (tab: PreviewTab) => void;
  picked: Picked | null;
  onPick: (pointer: string, entry: TraceEntryView) => void;
  onClearPick: () => void;
  problems: Map<string, Diagnostic[]>;
  onJump: (line: number, column: number) => void;
  onExport: () => void;
  exporting: boolean;
}

const TABS: PreviewTab[] = ['manifest', 'image', 'service', 'runtime', 'layers', 'warnings'];

export function PreviewPanel({ model, target, onTarget, tab, onTab, picked, onPick, onClearPick, problems, onJump, onExport, exporting }: Props) {
  const { preview } = model;
  const problemTabs = new Map<PreviewTab, 'error' | 'warning'>();
  for (const [pointer, list] of problems) {
    const t = tabOfPointer(pointer, target);
    if (!t) continue;
    const sev = list.some((d) => d.severity === 'error') ? 'error' : 'warning';
    if (problemTabs.get(t) !== 'error') problemTabs.set(t, sev);
  }
  const platformWarnings = preview?.warnings.filter((w) => w.severity === 'warning').length ?? 0;
  const busy = model.pending || model.rootfs.status === 'running';
  const values = useMemo(() => pendingValues(preview), [preview]);
  const pending = useMemo(
    () => (values.size ? { values, label: model.rootfs.status === 'error' ? 'not computed' : 'computing…' } : undefined),
    [values, model.rootfs.status],
  );

  return (
    <div className={classes.panel} data-testid="preview-panel" data-target={target}>
      <div className={classes.header}>
        <Group gap={8} wrap="nowrap">
          <Text fw={650} size="sm">
            OCI preview
          </Text>
          {busy && <Loader size={12} aria-label="updating" />}
        </Group>
        <Group gap={6} wrap="nowrap">
          <Tooltip label="Unit generation: v8 (manifest.json + aosService) or v9 (image index + aosItemConfig)" multiline maw={300}>
            <SegmentedControl
              size="xs"
              value={target}
              onChange={(v) => onTarget(v as Target)}
              data={[
                { value: 'v8', label: 'v8' },
                { value: 'v9', label: 'v9' },
              ]}
              aria-label="Unit generation"
              data-testid="preview-target"
            />
          </Tooltip>
          <NodeParamsButton node={model.node} effective={(preview?.node as Record<string, unknown> | undefined) ?? null} onChange={model.setNode} />
          <Tooltip label={`Write the ${target} ${target === 'v8' ? 'archive layout' : 'OCI image layout'} to a folder`}>
            <Button size="compact-sm" variant="light" leftSection={<IconDownload size={15} />} onClick={onExport} loading={exporting}>
              Export
            </Button>
          </Tooltip>
        </Group>
      </div>

      <Tabs value={tab} onChange={(v) => v && onTab(v as PreviewTab)} className={classes.tabs} classNames={{ list: classes.tabList, tab: classes.tab }}>
        <Tabs.List>
          {TABS.map((t) => (
            <Tabs.Tab
              key={t}
              value={t}
              rightSection={
                t === 'warnings' && preview ? (
                  <Badge size="xs" circle={preview.warnings.length < 10} color={platformWarnings ? 'yellow' : 'gray'} variant={platformWarnings ? 'filled' : 'light'}>
                    {preview.warnings.length}
                  </Badge>
                ) : problemTabs.has(t) ? (
                  <span className={classes.problemDot} data-severity={problemTabs.get(t)} aria-label="a config problem lands here" />
                ) : null
              }
            >
              {TAB_LABELS[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>

        <div className={classes.body}>
          <ScrollArea h="100%" type="auto" offsetScrollbars>
            {model.error && (
              <Alert m="xs" color="red" icon={<IconAlertTriangle size={16} />} title="The preview failed">
                {model.error}
              </Alert>
            )}
            {!preview ? (
              !model.error && (
                <Group p="md" gap="xs">
                  <Loader size="sm" />
                  <Text size="sm" c="dimmed">
                    Building the preview…
                  </Text>
                </Group>
              )
            ) : tab === 'layers' ? (
              <LayerFilesTab
                preview={preview}
                rootfs={model.rootfs}
                onRefresh={model.refreshRootfs}
                onJump={onJump}
                library={{ dir: model.layerLibrary, state: model.library, onChange: model.setLayerLibrary, onRescan: model.rescanLibrary }}
              />
            ) : tab === 'warnings' ? (
              <WarningsTab warnings={preview.warnings} onJump={onJump} />
            ) : (
              <div data-testid={`preview-tab-${tab}`}>
                {blocksFor(preview, tab, target).map((block) => (
                  <section key={block.pointer} className={classes.block} aria-label={block.title}>
                    <div className={classes.blockHeader}>
                      <Group gap={6} wrap="nowrap">
                        <IconFileCode size={14} color="var(--mantine-color-dimmed)" />
                        <Text size="xs" fw={600} c="dimmed">
                          {block.title}
                        </Text>
                      </Group>
                      <CopyButton value={JSON.stringify(block.value, null, 2)} timeout={1500}>
                        {({ copied, copy }) => (
                          <Tooltip label={copied ? 'Copied' : `Copy ${block.fileName} as JSON`} withArrow>
                            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label={`Copy ${block.title}`}>
                              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </CopyButton>
                    </div>
                    <JsonView
                      value={block.value}
                      pointer={block.pointer}
                      trace={preview.trace}
                      problems={problems}
                      selected={picked?.pointer ?? null}
                      onPick={onPick}
                      pending={pending}
                    />
                  </section>
                ))}
              </div>
            )}
          </ScrollArea>
        </div>
      </Tabs>

      <div className={classes.footer} data-picked={picked ? '' : undefined} data-testid="preview-footer">
        {picked ? (
          <>
            <Text component="div" size="xs" style={{ flex: 1, minWidth: 0 }} truncate data-testid="preview-source">
              <Text span ff="monospace" size="xs">
                {fieldLabel(picked.pointer)}
              </Text>{' '}
              ←{' '}
              {picked.entry.origin === 'default' ? (
                <>
                  default: <b>{picked.entry.path}</b> is not set{picked.entry.line ? ` (nearest key at config.yaml:${picked.entry.line})` : ''}
                </>
              ) : picked.entry.line ? (
                <>
                  from{' '}
                  <b>
                    config.yaml:{picked.entry.line}
                  </b>{' '}
                  ({picked.entry.path})
                </>
              ) : (
                <>from {picked.entry.path}</>
              )}
              {picked.entry.inferred && (
                <Badge ml={6} size="xs" variant="outline" color="orange" tt="none">
                  inferred
                </Badge>
              )}
            </Text>
            {picked.entry.line ? (
              <Button size="compact-xs" variant="subtle" onClick={() => onJump(picked.entry.line ?? 0, picked.entry.column ?? 1)}>
                Show line
              </Button>
            ) : null}
            <ActionIcon size="sm" variant="subtle" color="gray" onClick={onClearPick} aria-label="Clear selection">
              <IconX size={14} />
            </ActionIcon>
          </>
        ) : (
          <Text size="xs" c="dimmed" style={{ flex: 1 }} truncate>
            Click a field to see its config.yaml line · <span className={classes.legendInferred}>dotted</span> = inferred mapping
          </Text>
        )}
        {model.latencyMs !== null && (
          <Tooltip label="Time from the last config change to this preview on screen">
            <Text size="xs" c="dimmed" data-testid="preview-latency" style={{ flex: 'none' }}>
              {model.latencyMs} ms
            </Text>
          </Tooltip>
        )}
      </div>
    </div>
  );
}
