// The src/ tree (issue 8): context menu, inline rename, delete confirmation (trash or
// permanent), new file, the destination shown before adding, drag to move, the filter,
// and the keyboard of WAI-ARIA's tree pattern with one Tab stop, over the typed fake API.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Output, SrcEntry, SrcListing } from '../../src/shared/contract';
import type { FakeHandlers } from '../../src/renderer/api/fake';
import type { ServiceSnapshot } from '../../src/shared/contract';
import { SrcTree } from '../../src/renderer/service/src-tree/SrcTree';
import { useSrcEdits } from '../../src/renderer/service/src-tree/use-src-edits';
import { useSrcTree } from '../../src/renderer/service/use-src-tree';
import { renderService } from './service-helpers';
import { renderWithApi } from './render';
import { snapshotOf } from './fixtures';
import { rowEntryName, rowName } from '../support/tree-names';

/** The tree wired as ServiceView wires it, without the editor (ServiceView itself: the last test). */
function SrcPanel({ snapshot }: { snapshot: ServiceSnapshot }) {
  const src = useSrcTree(snapshot);
  const edits = useSrcEdits(snapshot.root, src.setListing);
  return (
    <div style={{ height: 600 }}>
      <SrcTree
        listing={src.listing}
        busy={src.busy || edits.busy}
        onAddPicked={(dir, files) => void src.addPicked(dir, files)}
        onAddByDialog={src.addByDialog}
        onNewFolder={() => {}}
        onNewFile={edits.newFile}
        onRename={edits.rename}
        onDelete={edits.remove}
        deleteMode={edits.deleteMode}
        onPrepareDelete={edits.prepareDelete}
      />
    </div>
  );
}

// jsdom has no layout: give the scroller a viewport (the virtual list reads clientHeight).
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(320);
});
afterAll(() => vi.restoreAllMocks());

const dir = (path: string): SrcEntry => ({ path, kind: 'directory', size: 0, mode: 0o755 });
const file = (path: string, size = 10): SrcEntry => ({ path, kind: 'file', size, mode: 0o644 });
const listingOf = (entries: SrcEntry[]): SrcListing => ({ entries, total: entries.length, truncated: false, totalBytes: 0, special: [] });

const ENTRIES = [dir('etc'), file('etc/app.cfg'), dir('usr'), dir('usr/bin'), file('usr/bin/run.sh'), file('readme.txt')];

const info = (mode: 'electron' | 'browser'): Output<'app.info'> => ({ version: '1', mode, platform: 'linux', homeDir: '/home/jane', cwd: '/home/jane' });

function renderTree(handlers: FakeHandlers = {}, mode: 'electron' | 'browser' = 'browser', entries = ENTRIES, whole = false) {
  const snapshot = snapshotOf(undefined, listingOf(entries));
  const all: FakeHandlers = { 'app.info': () => info(mode), ...handlers };
  const rendered = whole ? renderService(snapshot, all) : renderWithApi(<SrcPanel snapshot={snapshot} />, all);
  const tree = () => screen.getByRole('tree', { name: 'src/ files' });
  const item = (name: string) => within(tree()).getByRole('treeitem', { name: rowName(name) });
  const names = () => within(tree()).queryAllByRole('treeitem').map(rowEntryName);
  return { ...rendered, tree, item, names };
}

/** Entries renamed from → to (with what is under it), as main would list them. */
const renamed = (entries: SrcEntry[], from: string, to: string) =>
  listingOf(entries.map((e) => (e.path === from || e.path.startsWith(`${from}/`) ? { ...e, path: to + e.path.slice(from.length) } : e)));

describe('src/ tree keyboard (one Tab stop, WAI-ARIA tree keys)', () => {
  it('is one Tab stop: Tab goes from the filter to the tree and on out of it', async () => {
    const user = userEvent.setup();
    const { tree } = renderTree();
    const items = within(tree()).getAllByRole('treeitem');
    expect(items.filter((el) => el.tabIndex === 0)).toHaveLength(1);
    expect(items[0].tabIndex).toBe(0);
    act(() => screen.getByRole('textbox', { name: 'Filter src/ by name' }).focus());
    await user.tab();
    expect(document.activeElement).toBe(items[0]);
    await user.tab();
    expect(tree().contains(document.activeElement)).toBe(false);
  });

  it('Down, Up, Home and End move the focus and the selection', async () => {
    const user = userEvent.setup();
    const { item } = renderTree();
    act(() => item('etc').focus());
    await user.keyboard('{ArrowDown}');
    expect(item('usr')).toHaveFocus();
    expect(item('usr')).toHaveAttribute('aria-selected', 'true');
    expect(item('usr').tabIndex).toBe(0);
    expect(item('etc').tabIndex).toBe(-1);
    await user.keyboard('{End}');
    expect(item('readme.txt')).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(item('usr')).toHaveFocus();
    await user.keyboard('{Home}');
    expect(item('etc')).toHaveFocus();
  });

  it('Right opens a closed folder, then enters it; Left goes to the parent, then closes it', async () => {
    const user = userEvent.setup();
    const { item, names } = renderTree();
    act(() => item('usr').focus());
    expect(item('usr')).toHaveAttribute('aria-expanded', 'false');
    await user.keyboard('{ArrowRight}');
    expect(item('usr')).toHaveAttribute('aria-expanded', 'true');
    expect(item('usr')).toHaveFocus();
    expect(item('bin')).toHaveAttribute('aria-level', '2');
    await user.keyboard('{ArrowRight}');
    expect(item('bin')).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(item('usr')).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(item('usr')).toHaveAttribute('aria-expanded', 'false');
    expect(names()).toEqual(['etc', 'usr', 'readme.txt']);
  });

  it('Enter opens and closes a folder', async () => {
    const user = userEvent.setup();
    const { item, names } = renderTree();
    act(() => item('etc').focus());
    await user.keyboard('{Enter}');
    expect(names()).toEqual(['etc', 'app.cfg', 'usr', 'readme.txt']);
    await user.keyboard('{Enter}');
    expect(names()).toEqual(['etc', 'usr', 'readme.txt']);
  });

  it('F2 renames inline: Enter commits, and the tree shows the new name', async () => {
    const user = userEvent.setup();
    const rename = vi.fn(({ from, to }: { from: string; to: string }) => ({ path: to, listing: renamed(ENTRIES, from, to) }));
    const { item, api } = renderTree({ 'src.rename': rename });
    act(() => item('readme.txt').focus());
    await user.keyboard('{F2}');
    const field = screen.getByRole('textbox', { name: 'New name for readme.txt' });
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, 'README.md{Enter}');
    await waitFor(() => expect(item('README.md')).toHaveFocus());
    expect(api.callsTo('src.rename')).toEqual([{ root: '/home/jane/services/hello-world', from: 'readme.txt', to: 'README.md' }]);
  });

  it('Escape cancels a rename without a call', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({ 'src.rename': () => ({ path: 'x', listing: listingOf(ENTRIES) }) });
    act(() => item('etc').focus());
    await user.keyboard('{F2}');
    await user.type(screen.getByRole('textbox', { name: 'New name for etc' }), 'x{Escape}');
    expect(screen.queryByRole('textbox', { name: 'New name for etc' })).toBeNull();
    expect(api.callsTo('src.rename')).toEqual([]);
    expect(item('etc')).toHaveFocus();
  });

  it('Delete asks first, naming the entry', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({ 'src.delete': () => ({ trashed: false, listing: listingOf(ENTRIES) }) });
    act(() => item('readme.txt').focus());
    await user.keyboard('{Delete}');
    expect(await screen.findByRole('dialog', { name: 'Delete src/readme.txt?' })).toBeInTheDocument();
    expect(api.callsTo('src.delete')).toEqual([]);
  });

  it('Shift+F10 opens the context menu of the focused row', async () => {
    const user = userEvent.setup();
    const { item } = renderTree();
    act(() => item('etc').focus());
    await user.keyboard('{Shift>}{F10}{/Shift}');
    expect(await screen.findByRole('menu')).toHaveTextContent(/^src\/etc/);
  });
});

describe('src/ tree context menu', () => {
  it('offers rename, new file, new folder, add files here and delete for the row', async () => {
    const { item } = renderTree();
    fireEvent.contextMenu(item('etc'), { clientX: 40, clientY: 80 });
    const menu = await screen.findByRole('menu');
    expect(menu).toHaveTextContent(/^src\/etc/);
    expect(within(menu).getAllByRole('menuitem').map((el) => el.textContent)).toEqual([
      'RenameF2',
      'New file in src/etc/',
      'New folder in src/etc/',
      'Add files to src/etc/…',
      'Delete…Del',
    ]);
    expect(item('etc')).toHaveAttribute('aria-selected', 'true');
  });

  it('Rename from the menu edits the name in place', async () => {
    const user = userEvent.setup();
    const rename = vi.fn(({ from, to }: { from: string; to: string }) => ({ path: to, listing: renamed(ENTRIES, from, to) }));
    const { item, api } = renderTree({ 'src.rename': rename });
    fireEvent.contextMenu(item('etc'));
    await user.click(await screen.findByRole('menuitem', { name: /Rename/ }));
    const field = await screen.findByRole('textbox', { name: 'New name for etc' });
    await waitFor(() => expect(field).toHaveFocus());
    await user.clear(field);
    await user.type(field, 'config{Enter}');
    await waitFor(() => expect(item('config')).toBeInTheDocument());
    expect(api.callsTo('src.rename')).toEqual([{ root: '/home/jane/services/hello-world', from: 'etc', to: 'config' }]);
  });

  it('New file asks for a name and creates it in the row’s folder', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({
      'src.newFile': ({ path }) => ({ path, listing: listingOf([...ENTRIES, file(path, 0)]) }),
    });
    fireEvent.contextMenu(item('usr'));
    await user.click(await screen.findByRole('menuitem', { name: 'New file in src/usr/' }));
    const dialog = await screen.findByRole('dialog', { name: 'New file in src/usr' });
    await user.type(within(dialog).getByRole('textbox', { name: /File name/ }), 'notes.txt');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(item('notes.txt')).toBeInTheDocument());
    expect(api.callsTo('src.newFile')).toEqual([{ root: '/home/jane/services/hello-world', path: 'usr/notes.txt' }]);
  });
});

describe('src/ delete confirmation', () => {
  it('browser mode: says the delete is permanent, and deletes permanently only after yes', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({
      'src.delete': () => ({ trashed: false, listing: listingOf(ENTRIES.filter((e) => !e.path.startsWith('usr'))) }),
    });
    fireEvent.contextMenu(item('usr'));
    await user.click(await screen.findByRole('menuitem', { name: /Delete/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete src/usr?' });
    expect(dialog).toHaveTextContent('The folder and everything in it (2 entries).');
    await waitFor(() => expect(dialog).toHaveTextContent('This deletes the folder permanently: browser mode has no trash, and it cannot be undone.'));
    expect(api.callsTo('src.delete')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete permanently' }));
    await waitFor(() => expect(within(screen.getByRole('tree')).queryByRole('treeitem', { name: rowName('usr') })).toBeNull());
    expect(api.callsTo('src.delete')).toEqual([{ root: '/home/jane/services/hello-world', path: 'usr', mode: 'permanent' }]);
  });

  it('desktop app: says it goes to the system trash, and asks for the trash', async () => {
    const user = userEvent.setup();
    // Through ServiceView itself: the wiring the app uses.
    const { item, api } = renderTree({ 'src.delete': () => ({ trashed: true, listing: listingOf(ENTRIES.slice(0, 5)) }) }, 'electron', ENTRIES, true);
    act(() => item('readme.txt').focus());
    await user.keyboard('{Delete}');
    const dialog = await screen.findByRole('dialog', { name: 'Delete src/readme.txt?' });
    await waitFor(() => expect(dialog).toHaveTextContent('The file goes to the system trash; you can restore it from there.'));
    expect(dialog).not.toHaveTextContent('permanently');
    await user.click(within(dialog).getByRole('button', { name: 'Move to trash' }));
    await waitFor(() => expect(api.callsTo('src.delete')).toEqual([{ root: '/home/jane/services/hello-world', path: 'readme.txt', mode: 'trash' }]));
  });

  it('Cancel deletes nothing', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({ 'src.delete': () => ({ trashed: false, listing: listingOf([]) }) });
    act(() => item('etc').focus());
    await user.keyboard('{Delete}');
    const dialog = await screen.findByRole('dialog', { name: 'Delete src/etc?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Delete src/etc?' })).toBeNull());
    expect(api.callsTo('src.delete')).toEqual([]);
    expect(item('etc')).toBeInTheDocument();
  });
});

describe('adding files into the folder the user chose', () => {
  it('shows the destination and the names before anything is copied, then copies there', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({
      'dialog.openFiles': () => ({ paths: ['/home/jane/Downloads/hello.py', '/home/jane/Downloads/lib.py'] }),
      'src.copyIn': ({ sources }) => ({ added: sources.map((s) => `etc/${s.split('/').pop()}`), listing: listingOf(ENTRIES) }),
    });
    fireEvent.contextMenu(item('etc'));
    await user.click(await screen.findByRole('menuitem', { name: 'Add files to src/etc/…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add to src/' });
    expect(dialog).toHaveTextContent('Copy these 2 entries into src/etc/ (/etc/ on the unit):');
    expect(within(dialog).getByTestId('add-names')).toHaveTextContent('hello.pylib.py');
    expect(api.callsTo('src.copyIn')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Copy into src/etc/' }));
    await waitFor(() =>
      expect(api.callsTo('src.copyIn')).toEqual([{ root: '/home/jane/services/hello-world', dir: 'etc', sources: ['/home/jane/Downloads/hello.py', '/home/jane/Downloads/lib.py'] }]),
    );
  });

  it('the toolbar’s Add files names src/ itself when nothing is selected; Cancel copies nothing', async () => {
    const user = userEvent.setup();
    const { api } = renderTree({
      'dialog.openFiles': () => ({ paths: ['/tmp/a.bin'] }),
      'src.copyIn': () => ({ added: [], listing: listingOf(ENTRIES) }),
    });
    await user.click(screen.getByRole('button', { name: 'Add files' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add to src/' });
    expect(dialog).toHaveTextContent('Copy this entry into src/ (/ on the unit):');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add to src/' })).toBeNull());
    expect(api.callsTo('src.copyIn')).toEqual([]);
  });

  it('browser mode: files from the page’s picker are confirmed the same way', async () => {
    const user = userEvent.setup();
    const { item, api } = renderTree({ 'src.addFiles': ({ files }) => ({ added: files.map((f) => f.path), listing: listingOf(ENTRIES) }) });
    await user.click(item('usr'));
    await user.click(screen.getByRole('button', { name: 'Add files' }));
    await waitFor(() => expect(api.callsTo('dialog.openFiles')).toHaveLength(1));
    fireEvent.change(screen.getByTestId('src-file-input'), { target: { files: [new File(['x'], 'tool.sh')] } });
    const dialog = await screen.findByRole('dialog', { name: 'Add to src/' });
    expect(dialog).toHaveTextContent('Copy this entry into src/usr/ (/usr/ on the unit):');
    expect(api.callsTo('src.addFiles')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Copy into src/usr/' }));
    await waitFor(() => expect(api.callsTo('src.addFiles')).toMatchObject([{ dir: 'usr', files: [{ path: 'tool.sh' }] }]));
  });
});

describe('moving by drag', () => {
  const dataTransfer = () => {
    const data = new Map<string, string>();
    return {
      data,
      get types() {
        return [...data.keys()];
      },
      setData: (type: string, value: string) => void data.set(type, value),
      getData: (type: string) => data.get(type) ?? '',
      effectAllowed: 'all',
      dropEffect: 'none',
      files: [],
      items: [],
    };
  };

  it('a row dropped on a folder row moves into that folder', async () => {
    const rename = vi.fn(({ from, to }: { from: string; to: string }) => ({ path: to, listing: renamed(ENTRIES, from, to) }));
    const { item, api } = renderTree({ 'src.rename': rename });
    const dt = dataTransfer();
    fireEvent.dragStart(item('readme.txt'), { dataTransfer: dt });
    fireEvent.dragOver(item('etc'), { dataTransfer: dt });
    expect(item('etc')).toHaveAttribute('data-drop-target');
    fireEvent.drop(item('etc'), { dataTransfer: dt });
    await waitFor(() => expect(api.callsTo('src.rename')).toEqual([{ root: '/home/jane/services/hello-world', from: 'readme.txt', to: 'etc/readme.txt' }]));
    await waitFor(() => expect(item('readme.txt')).toHaveAttribute('aria-level', '2'));
  });

  it('a row dropped on the tree’s background moves to src/ itself', async () => {
    const user = userEvent.setup();
    const rename = vi.fn(({ from, to }: { from: string; to: string }) => ({ path: to, listing: renamed(ENTRIES, from, to) }));
    const { item, tree, api } = renderTree({ 'src.rename': rename });
    await user.click(item('etc'));
    const dt = dataTransfer();
    fireEvent.dragStart(item('app.cfg'), { dataTransfer: dt });
    const background = tree().firstElementChild as HTMLElement;
    fireEvent.dragOver(background, { dataTransfer: dt });
    fireEvent.drop(background, { dataTransfer: dt });
    await waitFor(() => expect(api.callsTo('src.rename')).toEqual([{ root: '/home/jane/services/hello-world', from: 'etc/app.cfg', to: 'app.cfg' }]));
  });

  it('a folder dropped on itself, or a file onto a file, moves nothing', () => {
    const { item, api } = renderTree({ 'src.rename': () => ({ path: 'x', listing: listingOf(ENTRIES) }) });
    const dt = dataTransfer();
    fireEvent.dragStart(item('usr'), { dataTransfer: dt });
    fireEvent.drop(item('usr'), { dataTransfer: dt });
    fireEvent.dragStart(item('readme.txt'), { dataTransfer: dt });
    fireEvent.drop(item('readme.txt'), { dataTransfer: dt });
    expect(api.callsTo('src.rename')).toEqual([]);
  });
});

describe('src/ filter', () => {
  it('shows the matching entries with their parent folders, and Escape clears it', async () => {
    const user = userEvent.setup();
    const { names } = renderTree();
    const filter = screen.getByRole('textbox', { name: 'Filter src/ by name' });
    await user.type(filter, 'RUN');
    expect(names()).toEqual(['usr', 'bin', 'run.sh']);
    expect(screen.getByText('1 matching')).toBeInTheDocument();
    await user.keyboard('{ArrowDown}');
    expect(within(screen.getByRole('tree')).getByRole('treeitem', { name: rowName('usr') })).toHaveFocus();
    await user.keyboard('{End}');
    expect(within(screen.getByRole('tree')).getByRole('treeitem', { name: rowName('run.sh') })).toHaveFocus();
    act(() => filter.focus());
    await user.keyboard('{Escape}');
    expect(names()).toEqual(['etc', 'usr', 'readme.txt']);
  });

  it('says so when nothing matches', async () => {
    const user = userEvent.setup();
    renderTree();
    await user.type(screen.getByRole('textbox', { name: 'Filter src/ by name' }), 'zzz');
    expect(screen.getByText('No names in src/ contain “zzz”.')).toBeInTheDocument();
  });
});

describe('100 000 entries', () => {
  const many = [dir('data'), ...Array.from({ length: 100_000 }, (_, i) => file(`data/f${i}.bin`))];

  it('stays virtualised; End reaches the last row, and the filter finds one among them', async () => {
    const user = userEvent.setup();
    const { item, tree } = renderTree({}, 'browser', many);
    act(() => item('data').focus());
    await user.keyboard('{Enter}');
    expect(within(tree()).getAllByRole('treeitem').length).toBeLessThan(100);
    await act(async () => {
      await user.keyboard('{End}');
    });
    expect(item('f99999.bin')).toHaveFocus();
    expect(within(tree()).getAllByRole('treeitem').length).toBeLessThan(100);
    await user.type(screen.getByRole('textbox', { name: 'Filter src/ by name' }), 'f77777.');
    expect(within(tree()).getAllByRole('treeitem').map(rowEntryName)).toEqual(['data', 'f77777.bin']);
  });
});
