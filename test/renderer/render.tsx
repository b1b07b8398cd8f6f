// Renders a component the way the app does (Mantine, the API context, the settings, the
// path picker), with a typed fake API.
import type { ReactElement } from 'react';
import type { Api } from '../../src/shared/contract';
import { render } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { ApiProvider } from '../../src/renderer/api/context';
import { createFakeApi, type FakeApi, type FakeHandlers } from '../../src/renderer/api/fake';
import { PathPickerProvider } from '../../src/renderer/common/PathPicker';
import { SettingsProvider, SettingsStore } from '../../src/renderer/app/settings';
import { theme } from '../../src/renderer/app/theme';

/** `extra` adds what only some hosts have, e.g. the desktop preload's pathForFile. */
export function renderWithApi(ui: ReactElement, handlers: FakeHandlers = {}, extra: Pick<Api, 'pathForFile'> = {}) {
  const api: FakeApi = Object.assign(createFakeApi(handlers), extra);
  const result = render(
    <MantineProvider theme={theme} env="test">
      <ApiProvider api={api}>
        <SettingsProvider store={new SettingsStore(api)}>
          <PathPickerProvider>{ui}</PathPickerProvider>
        </SettingsProvider>
      </ApiProvider>
    </MantineProvider>,
  );
  return { ...result, api };
}
