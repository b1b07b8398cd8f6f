import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Api, AppSettings } from '../shared/contract';
import { getApi } from './api/get-api';
import { App } from './app/App';

// The session first (browser mode trades its one-time code), then the settings, so the
// window opens in the chosen theme (defaults if main cannot answer).
void getApi().then((api) =>
  api.invoke('settings.get', {}).then(
    (result) => render(api, result.ok ? result.value : undefined),
    () => render(api, undefined),
  ),
);

function render(api: Api, settings: AppSettings | undefined): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App api={api} settings={settings} />
    </StrictMode>,
  );
}
