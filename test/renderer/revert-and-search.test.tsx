// Editing comfort in the config editor: soft wrap and Ctrl+F search in the YAML text, and
// "Revert to saved", which asks first and then shows the file as last read from disk.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CONFIG } from './fixtures';
import { renderService, yamlText, yamlView } from './service-helpers';

// Text queries: role queries over the whole editor are slow in jsdom.
const revertButton = () => screen.getByText('Revert to saved').closest('button') as HTMLButtonElement;
const dialog = async () => (await screen.findByText('Revert to saved?')).closest('[role=dialog]') as HTMLElement;
// The start command's input by its key path: label queries over the whole form take tens of
// seconds in jsdom (every label's text is computed); the label itself is checked in form-texts.
const cmdInput = () => document.querySelector('input[data-path="configuration.cmd"]') as HTMLInputElement;
const inDialog = async (label: string) => within(await dialog()).getByText(label).closest('button') as HTMLButtonElement;

describe('YAML editor', () => {
  it('wraps long lines and opens search with Ctrl+F', () => {
    renderService();
    const view = yamlView();
    expect(view.lineWrapping).toBe(true);
    expect(view.dom.querySelector('.cm-search')).toBeNull();
    act(() => {
      view.focus();
      fireEvent.keyDown(view.contentDOM, { key: 'f', code: 'KeyF', keyCode: 70, ctrlKey: true });
    });
    const panel = view.dom.querySelector('.cm-search');
    expect(panel).not.toBeNull();
    expect(panel!.querySelector('input[name=search]')).not.toBeNull();
  });
});

describe('Revert to saved', () => {
  it('is off while the screen shows the saved file', () => {
    renderService();
    expect(revertButton()).toBeDisabled();
  });

  // Two dialogs and a full form re-render: slow on a loaded machine, so a wider time limit.
  it('asks, then puts back the saved text and the form values', { timeout: 90_000 }, async () => {
    renderService();
    const cmd = cmdInput();
    expect(cmd).not.toBeNull();
    fireEvent.change(cmd, { target: { value: './run.sh' } });
    await waitFor(() => expect(yamlText()).toContain('cmd: ./run.sh'));

    fireEvent.click(revertButton());
    // Cancel keeps the edit.
    fireEvent.click(await inDialog('Cancel'));
    expect(yamlText()).toContain('cmd: ./run.sh');

    fireEvent.click(revertButton());
    fireEvent.click(await inDialog('Revert'));
    await waitFor(() => expect(yamlText()).toBe(CONFIG));
    expect(cmdInput()).toHaveValue('python3 /usr/bin/services/hello.py');
    expect(screen.queryByTestId('dirty-indicator')).toBeNull();
  });

  it('also drops input a field refused', async () => {
    renderService();
    fireEvent.click(screen.getByRole('tab', { name: 'Layers' }));
    fireEvent.change(within(screen.getByTestId('layers-panel')).getByLabelText('Maximum version maxVersion'), { target: { value: '0.1.0' } });
    await waitFor(() => expect(screen.getByTestId('dirty-indicator')).toBeInTheDocument());

    fireEvent.click(revertButton());
    fireEvent.click(await inDialog('Revert'));
    await waitFor(() => expect(within(screen.getByTestId('layers-panel')).getByLabelText('Maximum version maxVersion')).toHaveValue('2.0.0'));
    expect(screen.queryByTestId('dirty-indicator')).toBeNull();
    expect(within(screen.getByTestId('diagnostics')).queryAllByTestId('diagnostic').some((el) => /only in the form/.test(el.textContent ?? ''))).toBe(false);
  });
});
