// "Saved" means the file holds what the screen shows: a field that refused its input blocks
// Save with a message naming it, and the Problems list shows it until it is fixed.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { notifications } from '@mantine/notifications';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIG } from './fixtures';
import { renderService, yamlText } from './service-helpers';

const saveHandler = () => ({ configMtimeMs: 2000, diagnostics: [] });

function problems() {
  return within(screen.getByTestId('diagnostics'))
    .queryAllByTestId('diagnostic')
    .map((el) => el.textContent ?? '');
}

afterEach(() => vi.restoreAllMocks());

describe('a field that refused its input', () => {
  it('blocks Save (button and shortcut) when the maximum is below the minimum, and lists it', async () => {
    const shown = vi.spyOn(notifications, 'show');
    const { api, guardRef } = renderService(undefined, { 'config.save': saveHandler });
    fireEvent.click(screen.getByRole('tab', { name: 'Layers' }));
    const panel = screen.getByTestId('layers-panel');
    const max = within(panel).getByLabelText('Maximum version maxVersion');
    // Clearing the maximum is valid (an open range) and written; 0.5.0 is then refused.
    fireEvent.change(max, { target: { value: '' } });
    await waitFor(() => expect(yamlText()).not.toContain('maxVersion'));
    fireEvent.change(max, { target: { value: '0.5.0' } });
    const onScreen = yamlText();

    await waitFor(() => expect(problems().some((p) => /Maximum version of layer aos-pylibs-layer/.test(p))).toBe(true));
    expect(problems().join('\n')).toMatch(/not be lower than the minimum/);

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    let saved: boolean | undefined;
    await act(async () => {
      saved = await guardRef.current!.save();
    });
    expect(saved).toBe(false);
    expect(api.callsTo('config.save')).toHaveLength(0);
    expect(yamlText()).toBe(onScreen);
    expect(shown).toHaveBeenCalledWith(expect.objectContaining({ title: 'Not saved', message: expect.stringMatching(/Maximum version of layer aos-pylibs-layer/) }));
    expect(shown).not.toHaveBeenCalledWith(expect.objectContaining({ title: 'Saved' }));

    // Fixing the field writes it and lets Save through.
    fireEvent.change(max, { target: { value: '3.0.0' } });
    await waitFor(() => expect(yamlText()).toContain('maxVersion: 3.0.0'));
    expect(problems().some((p) => /only in the form/.test(p))).toBe(false);
    await act(async () => {
      saved = await guardRef.current!.save();
    });
    expect(saved).toBe(true);
    expect(api.callsTo('config.save')).toHaveLength(1);
    expect(api.callsTo('config.save')[0].text).toContain('maxVersion: 3.0.0');
  });

  it('counts as unsaved even when the text did not change', async () => {
    renderService(undefined, { 'config.save': saveHandler });
    fireEvent.click(screen.getByRole('tab', { name: 'Layers' }));
    fireEvent.change(within(screen.getByTestId('layers-panel')).getByLabelText('Minimum version minVersion'), { target: { value: '1.0' } });
    expect(yamlText()).toBe(CONFIG);
    await waitFor(() => expect(screen.getByTestId('dirty-indicator')).toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('blocks Save while a number field holds text that is not a number', async () => {
    const { api, guardRef } = renderService(undefined, { 'config.save': saveHandler });
    const user = userEvent.setup();
    fireEvent.click(screen.getByRole('button', { name: /Instances and restarts/ }));
    const field = screen.getByLabelText('Minimum instances minInstances');
    await user.clear(field);
    await user.type(field, '-');
    expect(field).toHaveValue('-');
    await waitFor(() => expect(problems().some((p) => /is not a number/.test(p))).toBe(true));
    let saved: boolean | undefined;
    await act(async () => {
      saved = await guardRef.current!.save();
    });
    expect(saved).toBe(false);
    expect(api.callsTo('config.save')).toHaveLength(0);
  });
});
