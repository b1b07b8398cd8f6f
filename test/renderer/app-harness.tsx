import { render } from '@testing-library/react';
import { App } from '../../src/renderer/app/App';
import { createFakeApi, type FakeHandlers } from '../../src/renderer/api/fake';

export const APP_INFO = { version: '0.1.0', mode: 'browser' as const, platform: 'linux', homeDir: '/home/jane', cwd: '/home/jane/services' };

export function renderApp(handlers: FakeHandlers = {}) {
  const api = createFakeApi({
    'app.info': () => APP_INFO,
    'recent.list': () => [],
    // Open asks main what a picked folder holds; a service unless a test says otherwise.
    'folder.detect': ({ dir }) => ({ kind: 'service', root: dir, message: `${dir} is a service tree (meta/config.yaml).` }),
    ...handlers,
  });
  return { ...render(<App api={api} env="test" />), api };
}
