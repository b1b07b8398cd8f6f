// An open service: src/ on the left, the config (form and YAML) in the middle, its
// problems on the right. Saving checks that nobody changed the file meanwhile; the folder is
// watched, so changes by other programs show at once (tree, certificate, config.yaml).
import { useCallback, useMemo, useRef, useState, type RefObject } from 'react';
import { AppShell, Badge, Button, Group, Kbd, Text, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconDeviceFloppy, IconPackage } from '@tabler/icons-react';
import type { ServiceChangeView, ServiceSnapshot } from '../../shared/contract';
import { sortDiagnostics } from '../../shared/diagnostics';
import { specialFileDiagnostics } from '../../shared/src-diagnostics';
import { useApi } from '../api/context';
import { ThemeToggle } from '../common/ThemeToggle';
import { notifyError, notifySuccess } from '../common/notify';
import { baseName } from '../common/paths';
import { ConfigProvider } from './config/config-context';
import { ConfigEditor, type ConfigEditorHandle } from './config/ConfigEditor';
import { ChangedOnDiskBar } from './ChangedOnDiskBar';
import { ConfigDiffModal } from './ConfigDiffModal';
import { NewFolderModal } from './NewFolderModal';
import { SaveConflictModal } from './SaveConflictModal';
import { SrcTree } from './src-tree/SrcTree';
import { useConfigDocument } from './use-config-document';
import { useConfigSave, type ConfigSaveOptions, type ServiceGuard } from './use-config-save';
import { useServiceWatch } from './use-service-watch';
import { useSrcTree } from './use-src-tree';
import { useSrcEdits } from './src-tree/use-src-edits';
// OCI preview panel (src/renderer/preview)
import { PreviewAside } from '../preview/PreviewAside';
import { PreviewToggle } from '../preview/PreviewToggle';
import { usePreviewLayout } from '../preview/use-preview-layout';
import { SignActions } from '../sign/SignActions'; // Sign step and Verify (src/renderer/sign)

interface Props {
  snapshot: ServiceSnapshot;
  guardRef: RefObject<ServiceGuard | null>;
  onClose: () => void;
}

export function ServiceView({ snapshot, guardRef, onClose }: Props) {
  const { call } = useApi();
  const doc = useConfigDocument(snapshot);
  const src = useSrcTree(snapshot);
  const srcEdits = useSrcEdits(snapshot.root, src.setListing);
  const editor = useRef<ConfigEditorHandle>(null);
  const [newFolderIn, setNewFolderIn] = useState<string | null>(null);
  const name = baseName(snapshot.root);
  const previewLayout = usePreviewLayout();
  /** config.yaml as another program left it, while the editor holds unsaved edits (the bar shows). */
  const [onDisk, setOnDisk] = useState<{ text: string; mtimeMs: number } | null>(null);
  const [diffTexts, setDiffTexts] = useState<{ disk: string; mine: string } | null>(null);
  const [diskBusy, setDiskBusy] = useState(false);
  /** Bumped when meta/ changes: the Sign step reads the certificate again. */
  const [credentialsVersion, setCredentialsVersion] = useState(0);
  const docRef = useRef(doc);
  docRef.current = doc;
  // Special files in src/ are errors like the config's: the Problems list shows them and Sign refuses.
  const diagnostics = useMemo(
    () => sortDiagnostics([...doc.diagnostics, ...specialFileDiagnostics(src.listing, srcFolderLabel(doc.check.value))]),
    [doc.diagnostics, doc.check.value, src.listing],
  );
  /** config.yaml as it is on disk now (the watch said it changed, or the user asks). */
  const readDisk = useCallback(() => call('service.open', { dir: doc.root }), [call, doc.root]);
  const writeConfig = useCallback((input: Parameters<ConfigSaveOptions['write']>[0]) => call('config.save', input), [call]);
  const inSync = useCallback(() => setOnDisk(null), []);
  const { save, saving, conflict } = useConfigSave({ doc, guardRef, write: writeConfig, read: readDisk, onInSync: inSync });



  const configChangedOnDisk = useCallback(async () => {
    let fresh: ServiceSnapshot;
    try {
      fresh = await readDisk();
    } catch (err) {
      notifyError('config.yaml changed on disk and cannot be read', err);
      return;
    }
    const current = docRef.current;
    if (fresh.configText === current.saved.text) return;
    if (current.text === fresh.configText) {
      // The editor already shows what is on disk now: nothing is unsaved any more.
      current.markSaved(fresh.configText, fresh.configMtimeMs);
      setOnDisk(null);
    } else if (!current.dirty) {
      current.reload(fresh);
      setOnDisk(null);
      notifySuccess('config.yaml changed on disk', 'Reloaded: the editor shows the new file.');
    } else {
      setOnDisk({ text: fresh.configText, mtimeMs: fresh.configMtimeMs });
    }
  }, [readDisk]);

  useServiceWatch(doc.root, (changes: ServiceChangeView[]) => {
    const kinds = new Set(changes.map((c) => c.kind));
    if (kinds.has('src')) void src.refresh();
    if (kinds.has('meta')) {
      setCredentialsVersion((v) => v + 1);
      doc.revalidate();
    }
    if (kinds.has('config')) void configChangedOnDisk();
  });

  const reloadFromDisk = async () => {
    setDiskBusy(true);
    try {
      doc.reload(await readDisk());
      setOnDisk(null);
    } catch (err) {
      notifyError('Cannot reload config.yaml', err);
    } finally {
      setDiskBusy(false);
    }
  };
  // The disk's version becomes the base: the next save overwrites it without asking, unless
  // the file changes yet again (then the save conflict check asks, as always).
  const keepMine = () => {
    if (onDisk) doc.markSaved(onDisk.text, onDisk.mtimeMs);
    setOnDisk(null);
  };
  const showDiff = async () => {
    try {
      const fresh = await readDisk();
      setDiffTexts({ disk: fresh.configText, mine: doc.text });
    } catch (err) {
      notifyError('Cannot read config.yaml', err);
    }
  };

  const onEditError = useCallback((err: unknown) => notifyError('Cannot change the config', err), []);

  return (
    <ConfigProvider doc={doc} onEditError={onEditError}>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 340, breakpoint: 'sm' }}
        aside={{ width: previewLayout.asideWidth, breakpoint: 'md' }}
        padding={0}
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Tooltip label="Back to the start screen">
                <Button variant="subtle" size="compact-sm" onClick={onClose} aria-label="Close service" leftSection={<IconArrowLeft size={16} />}>
                  Close
                </Button>
              </Tooltip>
              <IconPackage size={22} color="var(--mantine-primary-color-filled)" style={{ flex: 'none' }} />
              <div style={{ minWidth: 0 }}>
                <Group gap={8} wrap="nowrap">
                  {/* The screen's one h1 names the service; it keeps the header's text size. */}
                  <Text component="h1" fw={650} truncate data-testid="service-name">
                    {name}
                  </Text>
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
                <Button
                  leftSection={<IconDeviceFloppy size={16} />}
                  onClick={() => void save()}
                  loading={saving}
                  disabled={!doc.dirty && !saving}
                  variant={doc.dirty ? 'filled' : 'default'}
                >
                  Save
                </Button>
              </Tooltip>
              {/* Sign step (src/renderer/sign): Sign button, its drawer, and Verify a bundle… */}
              <SignActions
                root={doc.root}
                configPath={snapshot.configPath}
                configText={doc.text}
                diagnostics={diagnostics}
                credentialsVersion={credentialsVersion}
                dirty={doc.dirty}
                save={() => save()}
                reveal={(range) => editor.current?.reveal(range)}
              />
              <PreviewToggle layout={previewLayout} />
              <ThemeToggle />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar>
          <SrcTree
            listing={src.listing}
            busy={src.busy || srcEdits.busy}
            onAddPicked={(dir, files) => void src.addPicked(dir, files)}
            onAddByDialog={src.addByDialog}
            onNewFolder={setNewFolderIn}
            onNewFile={srcEdits.newFile}
            onRename={srcEdits.rename}
            onDelete={srcEdits.remove}
            deleteMode={srcEdits.deleteMode}
            onPrepareDelete={srcEdits.prepareDelete}
          />
        </AppShell.Navbar>

        <AppShell.Main h="100dvh" style={{ display: 'flex', flexDirection: 'column' }}>
          {onDisk && (
            <div style={{ padding: 'var(--mantine-spacing-sm) var(--mantine-spacing-md) 0' }}>
              <ChangedOnDiskBar onReload={() => void reloadFromDisk()} onKeepMine={keepMine} onShowDiff={() => void showDiff()} busy={diskBusy} />
            </div>
          )}
          <div style={{ flex: 1, minHeight: 0, padding: 'var(--mantine-spacing-sm) var(--mantine-spacing-md) var(--mantine-spacing-md)' }}>
            <ConfigEditor ref={editor} onTextChange={doc.setText} />
          </div>
        </AppShell.Main>

        <AppShell.Aside p="xs">
          <PreviewAside
            layout={previewLayout}
            root={doc.root}
            text={doc.text}
            listing={src.listing}
            diagnostics={diagnostics}
            onSelectDiagnostic={(d) => !d.file && editor.current?.reveal(d)}
            reveal={(range) => editor.current?.reveal(range)}
          />
        </AppShell.Aside>
      </AppShell>

      <SaveConflictModal
        opened={conflict !== null}
        onOverwrite={() => conflict?.('overwrite')}
        onReload={() => conflict?.('reload')}
        onCancel={() => conflict?.('cancel')}
        onShowDiff={() => void showDiff()}
      />
      <ConfigDiffModal texts={diffTexts} onClose={() => setDiffTexts(null)} />
      <NewFolderModal
        parent={newFolderIn}
        onClose={() => setNewFolderIn(null)}
        onCreate={(folder) => {
          const dir = newFolderIn ?? '';
          setNewFolderIn(null);
          void src.mkdir(dir, folder);
        }}
      />
    </ConfigProvider>
  );
}

/** How the source folder is named in messages: build.source_folder as written, default src. */
function srcFolderLabel(value: unknown): string {
  const folder = (value as { build?: { source_folder?: unknown } } | null | undefined)?.build?.source_folder;
  return typeof folder === 'string' && folder.trim() ? folder.trim().replace(/^\.\//, '').replace(/\/+$/, '') || 'src' : 'src';
}
