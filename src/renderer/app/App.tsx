// The app's providers and its three screens: start, new-service wizard, service view.
// Leaving a service with unsaved edits always goes through the same guard.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { Api, AppSettings, ServiceSnapshot } from '../../shared/contract';
import { ApiProvider, useApi } from '../api/context';
import { ConnectionLostBanner } from '../common/ConnectionLostBanner';
import { PathPickerProvider, usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { baseName } from '../common/paths';
import { StartScreen } from '../start/StartScreen';
import { NewServiceWizard } from '../wizard/NewServiceWizard';
import { ServiceView, type ServiceGuard } from '../service/ServiceView';
import { useAppCommands, type AppCommand } from './shortcuts';
import { UnsavedChangesModal } from './UnsavedChangesModal';
import { SettingsProvider, SettingsStore, settingsColorSchemeManager } from './settings';
import { useLastFolder } from '../common/use-last-folder';
import { folderOf } from '../common/paths';
import { cssVariablesResolver, theme } from './theme';

type Screen = { kind: 'start' } | { kind: 'wizard' } | { kind: 'service'; snapshot: ServiceSnapshot; openedAt: number };

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

  const openService = useCallback(
    async (dir?: string) => {
      try {
        // The picker starts in the folder that held the service opened last through it.
        const path = dir ?? (await picker.pickFolder({ title: 'Open service folder', startPath: lastOpen.folder ?? startPath }));
        if (!path) return;
        if (!dir) lastOpen.remember(folderOf(path));
        const snapshot = await call('service.open', { dir: path });
        leave(() => showSnapshot(snapshot));
      } catch (err) {
        notifyError('Cannot open the service', err);
      }
    },
    [call, picker, leave, showSnapshot, startPath, lastOpen],
  );

  const onCommand = useCallback(
    (command: AppCommand) => {
      if (command === 'save') void guard.current?.save();
      else if (command === 'open') void openService();
      else leave(() => setScreen({ kind: 'wizard' }));
    },
    [openService, leave],
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
        <StartScreen onNew={() => setScreen({ kind: 'wizard' })} onOpen={(dir) => void openService(dir)} />
      )}
      {screen.kind === 'wizard' && (
        <NewServiceWizard onCancel={() => setScreen({ kind: 'start' })} onCreated={showSnapshot} />
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
        serviceName={screen.kind === 'service' ? baseName(screen.snapshot.root) : ''}
        saving={savingBeforeLeave}
        onSave={() => void decide('save')}
        onDiscard={() => void decide('discard')}
        onCancel={() => void decide('cancel')}
      />
    </>
  );
}
