// The service view follows the folder on disk: 'service.changed' events refresh the src/
// tree, the certificate card and config.yaml (silently when clean, with a bar when dirty);
// special files in src/ are errors in the Problems list and block Sign.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ServiceChangeView, SrcListing } from '../../src/shared/contract';
import { lineDiff } from '../../src/renderer/service/line-diff';
import { CONFIG, EMPTY_LISTING, snapshotOf } from './fixtures';
import { renderService, yamlText } from './service-helpers';
import { P12, ROOT, SUMMARY } from './sign-fixtures';

const WATCH = 'watch-1';
const DISK = CONFIG.replace('version: "1.0.0"', 'version: "1.1.0"');

function listingOf(...entries: SrcListing['entries']): SrcListing {
  return { entries, total: entries.length, truncated: false, totalBytes: 0, special: entries.filter((e) => e.kind === 'fifo' || e.kind === 'char-device').map((e) => e.path) };
}

function watched(extra: Parameters<typeof renderService>[1] = {}, snapshot = snapshotOf()) {
  const disk = { text: CONFIG, mtimeMs: 1000 };
  const rendered = renderService(snapshot, {
    'service.watch': () => ({ watchId: WATCH }),
    'service.unwatch': () => ({ stopped: true }),
    'service.open': () => ({ ...snapshotOf(disk.text), configMtimeMs: disk.mtimeMs }),
    'config.save': (input) => {
      if (input.expectedMtimeMs !== disk.mtimeMs && !input.force) throw { error: { code: 'conflict', message: 'changed on disk' } };
      disk.text = input.text;
      disk.mtimeMs += 1;
      return { configMtimeMs: disk.mtimeMs, diagnostics: [] };
    },
    ...extra,
  });
  const changed = (...changes: ServiceChangeView[]) => act(() => rendered.api.emit('service.changed', { watchId: WATCH, root: ROOT, changes }));
  /** Another program writes config.yaml. */
  const writeElsewhere = (text: string) => {
    disk.text = text;
    disk.mtimeMs = 5000;
    changed({ kind: 'config', paths: ['config.yaml'] });
  };
  return { ...rendered, disk, changed, writeElsewhere };
}

/** Types into the YAML editor so the document is dirty. */
async function editYaml(from: string, to: string) {
  const { yamlView } = await import('./service-helpers');
  const view = yamlView();
  const at = view.state.doc.toString().indexOf(from);
  act(() => view.dispatch({ changes: { from: at, to: at + from.length, insert: to } }));
  await screen.findByTestId('dirty-indicator');
}

describe('watching the service folder', () => {
  it('watches while open and stops when closed', async () => {
    const { api, unmount } = watched();
    await waitFor(() => expect(api.callsTo('service.watch')).toEqual([{ root: ROOT }]));
    unmount();
    await waitFor(() => expect(api.callsTo('service.unwatch')).toEqual([{ watchId: WATCH }]));
  });

  it('refreshes the src/ tree when files change there, and ignores another watch\'s events', async () => {
    let listing = EMPTY_LISTING;
    const { api, changed } = watched({ 'src.list': () => listing });
    await waitFor(() => expect(api.callsTo('service.watch')).toHaveLength(1));
    listing = listingOf({ path: 'hello.py', kind: 'file', size: 5, mode: 0o644 });
    act(() => api.emit('service.changed', { watchId: 'other', root: ROOT, changes: [{ kind: 'src', paths: ['hello.py'] }] }));
    expect(api.callsTo('src.list')).toEqual([]);
    changed({ kind: 'src', paths: ['hello.py'] });
    await waitFor(() => expect(screen.getByTestId('src-tree')).toHaveTextContent('1 entry'));
    expect(api.callsTo('src.list')).toEqual([{ root: ROOT }]);
  });

  it('reads the certificate again when files in meta/ change while the Sign step is open', async () => {
    let summary = { ...SUMMARY, subject: { ...SUMMARY.subject, commonName: 'old-cert' } };
    const { api, changed } = watched({ 'credentials.forService': () => ({ file: P12, summary }) });
    fireEvent.click(screen.getByTestId('open-sign'));
    const drawer = await screen.findByRole('dialog', { name: /Sign the service bundle/ });
    expect(await within(drawer).findByTestId('signer-card')).toHaveTextContent('old-cert');
    summary = { ...SUMMARY, subject: { ...SUMMARY.subject, commonName: 'new-cert' } };
    changed({ kind: 'meta', paths: ['aos-user-sp.p12'] });
    await waitFor(() => expect(within(drawer).getByTestId('signer-card')).toHaveTextContent('new-cert'));
    expect(api.callsTo('credentials.forService')).toHaveLength(2);
    // The config's file checks (credential-not-found) run again too.
    expect(api.callsTo('config.validate').length).toBeGreaterThan(0);
  });

  it('reloads a clean editor silently when config.yaml changed elsewhere', async () => {
    const { writeElsewhere } = watched();
    writeElsewhere(DISK);
    await waitFor(() => expect(yamlText()).toContain('version: "1.1.0"'));
    expect(screen.queryByTestId('changed-on-disk')).not.toBeInTheDocument();
    expect(screen.queryByTestId('dirty-indicator')).not.toBeInTheDocument();
  });

  it('with unsaved edits shows the bar; Show diff lists the lines, Reload takes the file on disk', async () => {
    const { writeElsewhere } = watched();
    await editYaml('mem: 100MB', 'mem: 200MB');
    writeElsewhere(DISK);
    const bar = await screen.findByTestId('changed-on-disk');
    expect(bar).toHaveTextContent('config.yaml changed on disk');
    expect(yamlText()).toContain('mem: 200MB');

    fireEvent.click(within(bar).getByRole('button', { name: 'Show diff' }));
    const diff = await screen.findByTestId('config-diff', {}, { timeout: 5000 });
    expect([...diff.querySelectorAll('[data-kind="removed"]')].map((e) => e.textContent)).toEqual(['-   version: "1.1.0"', '-     mem: 100MB # plenty']);
    expect([...diff.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent)).toEqual(['+   version: "1.0.0"', '+     mem: 200MB # plenty']);
    // Long unchanged runs fold; the lines next to a change stay.
    expect(diff.querySelector('[data-kind="fold"]')).toHaveTextContent('⋯ 10 unchanged lines');
    expect(diff).toHaveTextContent('# Bump for every upload.');
    fireEvent.keyDown(diff, { key: 'Escape' });

    fireEvent.click(within(bar).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByTestId('changed-on-disk')).not.toBeInTheDocument());
    expect(yamlText()).toBe(DISK);
    expect(screen.queryByTestId('dirty-indicator')).not.toBeInTheDocument();
  });

  it('Keep mine: the next save overwrites the changed file without a conflict, and says so truly', async () => {
    const { api, disk, writeElsewhere } = watched();
    await editYaml('mem: 100MB', 'mem: 200MB');
    writeElsewhere(DISK);
    const bar = await screen.findByTestId('changed-on-disk');
    fireEvent.click(within(bar).getByRole('button', { name: 'Keep mine' }));
    expect(screen.queryByTestId('changed-on-disk')).not.toBeInTheDocument();
    expect(screen.getByTestId('dirty-indicator')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByTestId('dirty-indicator')).not.toBeInTheDocument());
    expect(api.callsTo('config.save')).toEqual([{ root: ROOT, text: expect.stringContaining('mem: 200MB'), expectedMtimeMs: 5000 }]);
    expect(disk.text).toContain('mem: 200MB');
    expect(screen.queryByRole('dialog', { name: 'config.yaml changed on disk' })).not.toBeInTheDocument();
  });

  it('the save conflict dialog offers the same diff', async () => {
    const { disk } = watched();
    await editYaml('mem: 100MB', 'mem: 300MB');
    // Changed on disk without an event reaching the view (e.g. before the watch started).
    disk.text = DISK;
    disk.mtimeMs = 7000;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('dialog', { name: 'config.yaml changed on disk' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Show diff' }));
    const diff = await screen.findByTestId('config-diff', {}, { timeout: 5000 });
    expect([...diff.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent)).toContain('+     mem: 300MB # plenty');
  });
});

describe('special files in src/', () => {
  const listing = listingOf({ path: 'dev/tty0', kind: 'char-device', size: 0, mode: 0o600 }, { path: 'run/pipe', kind: 'fifo', size: 0, mode: 0o600 });

  it('are errors in the Problems list, naming the file, and block Build', async () => {
    watched({ 'credentials.forService': () => ({ file: P12, summary: SUMMARY }) }, snapshotOf(CONFIG, listing));
    const problems = screen.getByTestId('diagnostics');
    expect(within(problems).getByLabelText('2 errors')).toBeInTheDocument();
    expect(problems).toHaveTextContent('src/dev/tty0 is a character device: a bundle cannot hold it');
    expect(problems).toHaveTextContent('src/run/pipe is a named pipe (FIFO)');

    fireEvent.click(screen.getByTestId('open-sign'));
    const drawer = await screen.findByRole('dialog', { name: /Sign the service bundle/ });
    const blocked = await within(drawer).findByTestId('sign-blocked-errors');
    expect(blocked).toHaveTextContent('Fix 2 errors first');
    expect(blocked).toHaveTextContent('src/dev/tty0 is a character device');
    expect(within(drawer).getByTestId('sign-build')).toBeDisabled();
  });

  it('appear when the watch reports a new one, and go when it is removed', async () => {
    let current = EMPTY_LISTING;
    const { changed } = watched({ 'src.list': () => current });
    const problems = screen.getByTestId('diagnostics');
    expect(within(problems).getByLabelText('0 errors')).toBeInTheDocument();
    current = listingOf({ path: 'fifo', kind: 'fifo', size: 0, mode: 0o644 });
    changed({ kind: 'src', paths: ['fifo'] });
    await waitFor(() => expect(within(problems).getByLabelText('1 errors')).toBeInTheDocument());
    current = EMPTY_LISTING;
    changed({ kind: 'src', paths: ['fifo'] });
    await waitFor(() => expect(within(problems).getByLabelText('0 errors')).toBeInTheDocument());
  });
});

describe('lineDiff', () => {
  it('keeps common lines and marks what only one side has', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });

  it('handles empty texts, CRLF and identical texts', () => {
    expect(lineDiff('', 'a\n')).toEqual([{ kind: 'added', text: 'a' }]);
    expect(lineDiff('a\r\nb\r\n', 'a\nb\n')).toEqual([{ kind: 'same', text: 'a' }, { kind: 'same', text: 'b' }]);
    expect(lineDiff('x\n', '')).toEqual([{ kind: 'removed', text: 'x' }]);
  });

  it('finds a moved block as one removal and one addition around the common lines', () => {
    const diff = lineDiff('1\n2\n3\n4\n', '2\n3\n4\n1\n');
    expect(diff.filter((l) => l.kind !== 'same')).toEqual([{ kind: 'removed', text: '1' }, { kind: 'added', text: '1' }]);
  });
});
