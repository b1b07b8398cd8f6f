// An open layer bundle (a schemaVersion 2 deployment bundle): its items on the left, the
// selected item as a form and the whole config.yaml as YAML in the middle (one text, so
// both stay in sync), and on the right the one Problems list (a click jumps to the line)
// beside "What goes in". Save is atomic and keeps comments; it checks that nobody changed
// the file meanwhile. Sign and Verify are the service path's, for batch.tar.gz.
import { useCallback, useMemo, useRef, useState, type RefObject } from 'react';
import { AppShell, Badge, Button, Group, Kbd, Tabs, Text, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconDeviceFloppy, IconEye, IconListCheck, IconPackages, IconStack2 } from '@tabler/icons-react';
import type { DeploymentSnapshot } from '../../shared/contract';
import { useApi } from '../api/context';
import { DiagnosticsList } from '../common/DiagnosticsList';
import { ThemeToggle } from '../common/ThemeToggle';
import { notifyError } from '../common/notify';
import { baseName } from '../common/paths';
import { ConfigProvider } from '../service/config/config-context';
import { SaveConflictModal } from '../service/SaveConflictModal';
import { useConfigSave, type ConfigSaveOptions, type ServiceGuard } from '../service/use-config-save';
import { useConfigDocument } from '../service/use-config-document';
import { SignActions } from '../sign/SignActions';
import { BundleEditor, type BundleEditorHandle } from './BundleEditor';
import { DEPLOYMENT_CONFIG, addImage, addItem, duplicateItem, editDeploymentValue, itemSummaries, removeImage, removeItem } from './bundle-edits';
import { ItemsList } from './ItemsList';
import { WhatGoesInPanel } from './WhatGoesInPanel';
import { BundlePreviewPanel } from './BundlePreviewPanel';
import { useServiceWatch } from '../service/use-service-watch';

interface Props {
  snapshot: DeploymentSnapshot;
  guardRef: RefObject<ServiceGuard | null>;
  onClose: () => void;
}

export function BundleView({ snapshot, guardRef, onClose }: Props) {
  const { call } = useApi();
  const doc = useConfigDocument(snapshot, DEPLOYMENT_CONFIG);
  const editor = useRef<BundleEditorHandle>(null);
  const [selected, setSelected] = useState(0);
  /** Bumped after each save: What goes in reads the listing again. */
  const [savedVersion, setSavedVersion] = useState(0);
  const [asideTab, setAsideTab] = useState<string>('problems');
  const name = baseName(snapshot.root);
  const items = useMemo(() => itemSummaries(doc.formValue), [doc.formValue]);
  const item = Math.min(selected, Math.max(items.length - 1, 0));

  const writeConfig = useCallback((input: Parameters<ConfigSaveOptions['write']>[0]) => call('deployment.save', input), [call]);
  const readConfig = useCallback(() => call('deployment.open', { dir: doc.root }), [call, doc.root]);
  const nameConfig = useCallback((refusal: string) => refusal.replace('meta/config.yaml', 'config.yaml'), []);
  const inSync = useCallback(() => setSavedVersion((v) => v + 1), []);
  const { save, saving, conflict } = useConfigSave({ doc, guardRef, write: writeConfig, read: readConfig, refusalText: nameConfig, onInSync: inSync });


  // Files changing on disk (the images config.yaml references, config.yaml itself): the folder
  // checks and What goes in follow at once, not only at the next save. config.yaml changed by
  // another program reloads a clean editor; with unsaved edits they stay, and Save asks.
  const docRef = useRef(doc);
  docRef.current = doc;
  useServiceWatch(snapshot.root, (changes) => {
    const current = docRef.current;
    if (changes.some((c) => c.kind === 'config')) {
      if (!current.dirty) {
        call('deployment.open', { dir: current.root }).then(
          (fresh) => {
            if (!docRef.current.dirty) docRef.current.reload(fresh);
          },
          (err) => notifyError('Cannot reload config.yaml', err),
        );
      } else {
        notifyError('config.yaml changed on disk', new Error('Another program changed config.yaml. Your unsaved edits are kept; saving asks whether to overwrite or reload.'));
      }
    } else {
      current.revalidate();
    }
    setSavedVersion((v) => v + 1);
  });

  const onEditError = useCallback((err: unknown) => notifyError('Cannot change the config', err), []);
  /** One structural edit of the text (add, duplicate, remove); false when it failed. */
  const change = (edit: (text: string) => string): boolean => {
    try {
      const next = edit(doc.text);
      if (next !== doc.text) doc.setText(next);
      return true;
    } catch (err) {
      onEditError(err);
      return false;
    }
  };
  const disabled = !doc.check.parses;

  return (
    <ConfigProvider doc={doc} onEditError={onEditError} edit={editDeploymentValue}>
      <AppShell header={{ height: 56 }} navbar={{ width: 300, breakpoint: 'sm' }} aside={{ width: 400, breakpoint: 'md' }} padding={0}>
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Tooltip label="Back to the start screen">
                <Button variant="subtle" size="compact-sm" onClick={onClose} aria-label="Close bundle" leftSection={<IconArrowLeft size={16} />}>
                  Close
                </Button>
              </Tooltip>
              <IconStack2 size={22} color="var(--mantine-primary-color-filled)" style={{ flex: 'none' }} />
              <div style={{ minWidth: 0 }}>
                <Group gap={8} wrap="nowrap">
                  <Text fw={650} truncate data-testid="bundle-name">
                    {name}
                  </Text>
                  <Badge size="sm" variant="light" title="config.yaml with schemaVersion: 2" data-testid="bundle-kind">
                    layer bundle · schemaVersion 2
                  </Badge>
                  {doc.dirty && (
                    <Badge size="sm" color="orange" variant="light" data-testid="dirty-indicator">
                      unsaved
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed" truncate title={doc.root}>
                  {doc.root}
                </Text>
              </div>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Tooltip label={<>Save config.yaml <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">S</Kbd></>}>
                <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => void save()} loading={saving} disabled={!doc.dirty && !saving} variant={doc.dirty ? 'filled' : 'default'}>
                  Save
                </Button>
              </Tooltip>
              <SignActions
                kind="deployment"
                root={doc.root}
                configPath={snapshot.configPath}
                configText={doc.text}
                diagnostics={doc.diagnostics}
                dirty={doc.dirty}
                save={() => save()}
                reveal={(range) => editor.current?.reveal(range)}
              />
              <ThemeToggle />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar>
          <ItemsList
            items={items}
            selected={item}
            diagnostics={doc.diagnostics}
            disabled={disabled}
            onSelect={setSelected}
            onAdd={() => change((t) => addItem(t)) && setSelected(items.length)}
            onDuplicate={(i) => change((t) => duplicateItem(t, i)) && setSelected(i + 1)}
            onRemove={(i) => change((t) => removeItem(t, i)) && setSelected(Math.max(0, i - 1))}
          />
        </AppShell.Navbar>

        <AppShell.Main h="100dvh" style={{ display: 'flex', flexDirection: 'column' }}>
          <div style={{ flex: 1, minHeight: 0, padding: 'var(--mantine-spacing-sm) var(--mantine-spacing-md) var(--mantine-spacing-md)' }}>
            <BundleEditor
              ref={editor}
              item={item}
              onTextChange={doc.setText}
              onAddImage={(i) => change((t) => addImage(t, i))}
              onRemoveImage={(i, image) => change((t) => removeImage(t, i, image))}
            />
          </div>
        </AppShell.Main>

        <AppShell.Aside p="xs">
          <Tabs value={asideTab} onChange={(v) => v && setAsideTab(v)} keepMounted={false} style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
            <Tabs.List grow>
              <Tabs.Tab value="problems" leftSection={<IconListCheck size={16} />}>
                Problems
              </Tabs.Tab>
              <Tabs.Tab value="contents" leftSection={<IconPackages size={16} />}>
                What goes in
              </Tabs.Tab>
              <Tabs.Tab value="preview" leftSection={<IconEye size={16} />}>
                Preview
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="problems" pt="xs" style={{ flex: 1, minHeight: 0 }}>
              <DiagnosticsList diagnostics={doc.diagnostics} onSelect={(d) => editor.current?.reveal(d)} />
            </Tabs.Panel>
            <Tabs.Panel value="contents" pt="xs" style={{ flex: 1, minHeight: 0 }}>
              <WhatGoesInPanel root={doc.root} savedVersion={savedVersion} dirty={doc.dirty} />
            </Tabs.Panel>
            <Tabs.Panel value="preview" pt="xs" style={{ flex: 1, minHeight: 0 }}>
              <BundlePreviewPanel root={doc.root} savedVersion={savedVersion} dirty={doc.dirty} />
            </Tabs.Panel>
          </Tabs>
        </AppShell.Aside>
      </AppShell>

      <SaveConflictModal
        opened={conflict !== null}
        fileName="config.yaml"
        onOverwrite={() => conflict?.('overwrite')}
        onReload={() => conflict?.('reload')}
        onCancel={() => conflict?.('cancel')}
      />
    </ConfigProvider>
  );
}
