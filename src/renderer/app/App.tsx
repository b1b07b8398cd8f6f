// The app's providers and its screens: start, the new-service and new-layer-bundle wizards,
// the service view and the bundle view. Leaving either view with unsaved edits always goes
// through the same guard.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { Api, AppSettings, DeploymentSnapshot, FolderKind, ServiceSnapshot } from '../../shared/contract';
import { ApiProvider, useApi } from '../api/context';
import { ConnectionLostBanner } from '../common/ConnectionLostBanner';
import { PathPickerProvider, usePathPicker } from '../common/PathPicker';
import { notifyError, notifySuccess } from '../common/notify';
import { baseName } from '../common/paths';
import { StartScreen } from '../start/StartScreen';
import { LayersScreen } from '../layers/LayersScreen';
import { OutboxScreen } from '../cloud/OutboxScreen';
import { NewServiceWizard } from '../wizard/NewServiceWizard';
import { ServiceView } from '../service/ServiceView';
import type { ServiceGuard } from '../service/use-config-save';
import { BundleView } from '../bundle/BundleView';
import { NewBundleWizard } from '../bundle-wizard/NewBundleWizard';
import { PackLayerWizard } from '../layer-pack/PackLayerWizard';
import { useAppCommands, type AppCommand } from './shortcuts';
import { UnsavedChangesModal } from './UnsavedChangesModal';
import { SettingsProvider, SettingsStore, settingsColorSchemeManager } from './settings';
import { useLastFolder } from '../common/use-last-folder';
import { folderOf } from '../common/paths';
import { cssVariablesResolver, theme } from './theme';

type Screen =
  | { kind: 'start' }
  | { kind: 'wizard' }
  | { kind: 'bundle-wizard'; image?: { file: string; version: string } }
  | { kind: 'pack-layer'; from: 'start' | 'layers' }
  | { kind: 'layers' }
  | { kind: 'outbox' }
  | { kind: 'service'; snapshot: ServiceSnapshot; openedAt: number }
  | { kind: 'bundle'; snapshot: DeploymentSnapshot; openedAt: number };

/** `settings`: the settings main answered before the first render (no flash of the wrong theme); fetched when left out. */
export function App({ api, env, settings }: { api: Api; env?: 'test'; settings?: AppSettings }) {
  // One store per api; a later `settings` prop is not a reason to start over.
  const store = useMemo(() => new SettingsStore(api, settings), [api]); // eslint-disable-line react-hooks/exhaustive-deps
  const colorSchemeManager = useMemo(() => settingsColorSchemeManager(store), [store]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager} env={env}>
      <Notifications position="bottom-right" />
      <ApiProvider api={api}>
        <ConnectionLostBanner />
        <SettingsProvider store={store}>
          <PathPickerProvider>
            <Studio />
          </PathPickerProvider>
        </SettingsProvider>
      </ApiProvider>
    </MantineProvider>
  );
}

function Studio() {
  const { call } = useApi();
  const picker = usePathPicker();
  const lastOpen = useLastFolder('open');
  const [screen, setScreen] = useState<Screen>({ kind: 'start' });
  const guard = useRef<ServiceGuard | null>(null);
  const [pendingLeave, setPendingLeave] = useState<(() => void) | null>(null);
  const [savingBeforeLeave, setSavingBeforeLeave] = useState(false);
  // Where "Open service" starts browsing: the folder the CLI ran in (browser mode).
  const [startPath, setStartPath] = useState<string | undefined>();
  useEffect(() => {
    call('app.info', {}).then((info) => setStartPath(info.mode === 'browser' ? info.cwd : undefined), () => undefined);
  }, [call]);

  /** Runs `then` now, or after the user decided what to do with unsaved edits. */
  const leave = useCallback((then: () => void) => {
    if (guard.current?.isDirty()) setPendingLeave(() => then);
    else then();
  }, []);

  const showSnapshot = useCallback((snapshot: ServiceSnapshot) => {
    setScreen({ kind: 'service', snapshot, openedAt: Date.now() });
  }, []);

  const showBundle = useCallback((snapshot: DeploymentSnapshot) => {
    setScreen({ kind: 'bundle', snapshot, openedAt: Date.now() });
  }, []);

  /**
   * Opens a folder as what it holds. A recent entry knows its kind; a picked folder is
   * asked about (main's detectFolderKind), and the app says which kind it found.
   */
  const openFolder = useCallback(
    async (dir?: string, known?: FolderKind) => {
      try {
        // The picker starts in the folder that held the one opened last through it.
        const path = dir ?? (await picker.pickFolder({ title: 'Open a service or layer bundle folder', startPath: lastOpen.folder ?? startPath }));
        if (!path) return;
        if (!dir) lastOpen.remember(folderOf(path));
        let kind = known;
        if (!kind) {
          const found = await call('folder.detect', { dir: path });
          if (found.kind === 'none') {
            notifyError('Nothing to open here', new Error(found.message));
            return;
          }
          kind = found.kind;
          notifySuccess(kind === 'deployment' ? 'Found a layer bundle' : 'Found a service', found.message);
        }
        if (kind === 'deployment') {
          const snapshot = await call('deployment.open', { dir: path });
          leave(() => showBundle(snapshot));
        } else {
          const snapshot = await call('service.open', { dir: path });
          leave(() => showSnapshot(snapshot));
        }
      } catch (err) {
        notifyError(known === 'deployment' ? 'Cannot open the layer bundle' : 'Cannot open the folder', err);
      }
    },
    [call, picker, leave, showSnapshot, showBundle, startPath, lastOpen],
  );

  const onCommand = useCallback(
    (command: AppCommand) => {
      if (command === 'save') void guard.current?.save();
      else if (command === 'open') void openFolder();
      else leave(() => setScreen({ kind: 'wizard' }));
    },
    [openFolder, leave],
  );
  useAppCommands(onCommand);

  const decide = async (choice: 'save' | 'discard' | 'cancel') => {
    const then = pendingLeave;
    if (choice === 'save') {
      setSavingBeforeLeave(true);
      const saved = await guard.current?.save();
      setSavingBeforeLeave(false);
      if (!saved) return; // keep the modal: the save failed or was cancelled
    }
    setPendingLeave(null);
    if (choice !== 'cancel') then?.();
  };

  return (
    <>
      {screen.kind === 'start' && (
        <StartScreen
          onNew={() => setScreen({ kind: 'wizard' })}
          onNewBundle={() => setScreen({ kind: 'bundle-wizard' })}
          onPackLayer={() => setScreen({ kind: 'pack-layer', from: 'start' })}
          onLayers={() => setScreen({ kind: 'layers' })}
          onOpen={(dir, kind) => void openFolder(dir, kind)}
          onOutbox={() => setScreen({ kind: 'outbox' })}
        />
      )}
      {screen.kind === 'layers' && <LayersScreen onBack={() => setScreen({ kind: 'start' })} onPackLayer={() => setScreen({ kind: 'pack-layer', from: 'layers' })} />}
      {screen.kind === 'outbox' && <OutboxScreen onClose={() => setScreen({ kind: 'start' })} />}
      {screen.kind === 'wizard' && (
        <NewServiceWizard onCancel={() => setScreen({ kind: 'start' })} onCreated={showSnapshot} />
      )}
      {screen.kind === 'bundle-wizard' && (
        <NewBundleWizard initialImage={screen.image} onCancel={() => setScreen({ kind: 'start' })} onCreated={showBundle} />
      )}
      {screen.kind === 'pack-layer' && (
        <PackLayerWizard backLabel={screen.from === 'layers' ? 'Layers' : undefined} onCancel={() => setScreen({ kind: screen.from })} onAddToBundle={(image) => setScreen({ kind: 'bundle-wizard', image })} />
      )}
      {screen.kind === 'bundle' && (
        <BundleView
          key={`${screen.snapshot.root}@${screen.openedAt}`}
          snapshot={screen.snapshot}
          guardRef={guard}
          onClose={() => leave(() => setScreen({ kind: 'start' }))}
        />
      )}
      {screen.kind === 'service' && (
        <ServiceView
          key={`${screen.snapshot.root}@${screen.openedAt}`}
          snapshot={screen.snapshot}
          guardRef={guard}
          onClose={() => leave(() => setScreen({ kind: 'start' }))}
        />
      )}
      <UnsavedChangesModal
        opened={pendingLeave !== null}
        serviceName={screen.kind === 'service' || screen.kind === 'bundle' ? baseName(screen.snapshot.root) : ''}
        saving={savingBeforeLeave}
        onSave={() => void decide('save')}
        onDiscard={() => void decide('discard')}
        onCancel={() => void decide('cancel')}
      />
    </>
  );
}
