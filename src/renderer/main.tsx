import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppSettings } from '../shared/contract';
import { getApi } from './api/get-api';
import { App } from './app/App';

const api = getApi();
// The settings first, so the window opens in the chosen theme (defaults if main cannot answer).
void api.invoke('settings.get', {}).then(
  (result) => render(result.ok ? result.value : undefined),
  () => render(undefined),
);

function render(settings: AppSettings | undefined): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App api={api} settings={settings} />
    </StrictMode>,
  );
}
