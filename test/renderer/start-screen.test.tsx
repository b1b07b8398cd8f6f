import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFailure } from '../../src/renderer/api/fake';
import { renderApp } from './app-harness';
import { snapshotOf } from './fixtures';

const RECENT = [
  { root: '/home/jane/services/hello-world', name: 'hello-world', openedAt: '2026-11-20T10:00:00.000Z' },
  { root: '/home/jane/services/cpu_load', name: 'cpu_load', openedAt: '2026-11-19T10:00:00.000Z' },
];

describe('start screen', () => {
  it('lists recent services and opens one', async () => {
    const { api } = renderApp({ 'recent.list': () => RECENT, 'service.open': () => snapshotOf() });
    const list = await screen.findByRole('list', { name: 'Recent services' });
    expect(within(list).getByText('hello-world')).toBeInTheDocument();
    expect(within(list).getByText('/home/jane/services/cpu_load')).toBeInTheDocument();
    fireEvent.click(within(list).getByText('hello-world'));
    await screen.findByTestId('service-name');
    expect(api.callsTo('service.open')).toEqual([{ dir: '/home/jane/services/hello-world' }]);
  });

  it('removes an entry from Recent services without opening it', async () => {
    const { api } = renderApp({ 'recent.list': () => RECENT, 'recent.remove': ({ root }) => RECENT.filter((r) => r.root !== root) });
    const list = await screen.findByRole('list', { name: 'Recent services' });
    fireEvent.click(within(list).getByRole('button', { name: 'Remove cpu_load from Recent services' }));
    await waitFor(() => expect(within(list).queryByText('cpu_load')).not.toBeInTheDocument());
    expect(within(list).getByText('hello-world')).toBeInTheDocument();
    expect(api.callsTo('recent.remove')).toEqual([{ root: '/home/jane/services/cpu_load' }]);
    expect(api.callsTo('service.open')).toEqual([]);
  });

  it('promises only what the app does (no upload)', async () => {
    renderApp();
    await screen.findByText(/No recent services yet/);
    expect(screen.getByText(/Author, check, preview and sign/)).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/upload/i);
  });

  it('says when there are no recent services', async () => {
    renderApp();
    expect(await screen.findByText(/No recent services yet/)).toBeInTheDocument();
  });

  it('opens a service through the in-app folder browser in browser mode', async () => {
    const { api } = renderApp({
      'dialog.openFolder': () => {
        throw fakeFailure('unsupported');
      },
      'fs.browse': ({ path }) => ({
        path: path ?? '/home/jane/services',
        parent: '/home/jane',
        entries: [
          { name: 'hello-world', kind: 'directory' as const, isService: true },
          { name: 'notes', kind: 'directory' as const, isService: false },
        ],
      }),
      'service.open': () => snapshotOf(),
    });
    fireEvent.click(screen.getByText('Open service or layer bundle'));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('hello-world')).toBeInTheDocument();
    expect(within(dialog).getByText('service')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByText('hello-world'));
    await waitFor(() => expect(within(dialog).getByLabelText('Path')).toHaveValue('/home/jane/services/hello-world'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Select this folder' }));
    await screen.findByTestId('service-name');
    expect(api.callsTo('service.open')).toEqual([{ dir: '/home/jane/services/hello-world' }]);
  });

  it('shows the folder the user typed even when the first listing answers last, and selects only once it is shown', async () => {
    let releaseStart: () => void = () => undefined;
    const listing = (path: string) => ({ path, parent: '/', entries: [{ name: 'meta', kind: 'directory' as const, isService: false }] });
    const { api } = renderApp({
      'dialog.openFolder': () => {
        throw fakeFailure('unsupported');
      },
      // The start folder's listing is slow: it comes back after the typed one.
      'fs.browse': ({ path }) =>
        path === undefined ? new Promise((resolve) => (releaseStart = () => resolve(listing('/home/jane')))) : listing(path),
      'service.open': () => snapshotOf(),
    });
    fireEvent.click(screen.getByText('Open service or layer bundle'));
    const dialog = await screen.findByRole('dialog');
    const select = within(dialog).getByRole('button', { name: 'Select this folder' });
    expect(select).toBeDisabled(); // the start listing is still on its way
    const path = within(dialog).getByLabelText('Path');
    fireEvent.change(path, { target: { value: '/srv/hello-world' } });
    fireEvent.keyDown(path, { key: 'Enter' });
    await waitFor(() => expect(within(dialog).getByText('/srv/hello-world')).toBeInTheDocument());
    releaseStart();
    await new Promise((r) => setTimeout(r, 20));
    expect(within(dialog).getByLabelText('Path')).toHaveValue('/srv/hello-world');
    expect(select).toBeEnabled();
    fireEvent.click(select);
    await screen.findByTestId('service-name');
    expect(api.callsTo('service.open')).toEqual([{ dir: '/srv/hello-world' }]);
  });

  it('asks before leaving a service with unsaved changes', async () => {
    renderApp({ 'recent.list': () => RECENT, 'service.open': () => snapshotOf(), 'config.validate': () => ({ diagnostics: [] }) });
    fireEvent.click(await screen.findByText('hello-world'));
    await screen.findByTestId('service-name');
    fireEvent.change(screen.getByLabelText('Working directory workingDir'), { target: { value: '/srv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Close service' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unsaved changes' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByTestId('service-name')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Close service' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Unsaved changes' })).getByRole('button', { name: 'Discard changes' }));
    expect(await screen.findByText('New service')).toBeInTheDocument();
  });

  it('makes a New folder inside the folder shown in the in-app browser, and opens it', async () => {
    const made: string[] = [];
    const { api } = renderApp({
      'dialog.openFolder': () => {
        throw fakeFailure('unsupported');
      },
      'fs.browse': ({ path }) => ({
        path: path ?? '/home/jane/services',
        parent: '/home/jane',
        entries: path === undefined ? made.map((name) => ({ name, kind: 'directory' as const, isService: false })) : [],
      }),
      'fs.mkdir': ({ parent, name }) => {
        made.push(name);
        return { path: `${parent}/${name}` };
      },
    });
    fireEvent.click(screen.getByText('Open service or layer bundle'));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Path')).toHaveValue('/home/jane/services'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'New folder' }));
    fireEvent.change(within(dialog).getByLabelText(/New folder in \/home\/jane\/services/), { target: { value: 'exports' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(within(dialog).getByLabelText('Path')).toHaveValue('/home/jane/services/exports'));
    expect(api.callsTo('fs.mkdir')).toEqual([{ parent: '/home/jane/services', name: 'exports' }]);
  });
});
