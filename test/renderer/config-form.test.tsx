import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CONFIG } from './fixtures';
import { renderService, yamlText, yamlView } from './service-helpers';

describe('config form and YAML text stay in sync', () => {
  it('shows the values of the config in the form', () => {
    renderService();
    expect(screen.getByLabelText('Start command cmd')).toHaveValue('python3 /usr/bin/services/hello.py');
    expect(screen.getByLabelText('Working directory workingDir')).toHaveValue('/');
  });

  it('writes a form edit into the YAML text and keeps every comment', async () => {
    renderService();
    const cmd = screen.getByLabelText('Start command cmd');
    fireEvent.change(cmd, { target: { value: 'python3 /usr/bin/services/main.py --verbose' } });

    await waitFor(() => expect(yamlText()).toContain('cmd: python3 /usr/bin/services/main.py --verbose'));
    const text = yamlText();
    for (const comment of ['# Service config for hello-world', '# who wrote it', '# Bump for every upload.', '# How the unit starts the service.', '# shared Python libraries', '# plenty']) {
      expect(text).toContain(comment);
    }
    // Only that line changed.
    expect(text.split('\n').filter((line, i) => line !== CONFIG.split('\n')[i])).toEqual(['  cmd: python3 /usr/bin/services/main.py --verbose']);
    expect(screen.getByTestId('dirty-indicator')).toBeInTheDocument();
  });

  it('types character by character without losing input', async () => {
    const user = userEvent.setup();
    renderService();
    const wd = screen.getByLabelText('Working directory workingDir');
    await user.clear(wd);
    await user.type(wd, '/opt/app');
    expect(wd).toHaveValue('/opt/app');
    expect(yamlText()).toContain('workingDir: /opt/app');
  });

  it('shows a YAML text edit in the form', async () => {
    renderService();
    const view = yamlView();
    const from = view.state.doc.toString().indexOf('python3 /usr/bin/services/hello.py');
    act(() => {
      view.dispatch({ changes: { from, to: from + 'python3 /usr/bin/services/hello.py'.length, insert: './run.sh' } });
    });
    await waitFor(() => expect(screen.getByLabelText('Start command cmd')).toHaveValue('./run.sh'));
  });

  it('puts a diagnostic next to the field it concerns', async () => {
    renderService();
    fireEvent.click(screen.getByRole('tab', { name: 'Publish' }));
    const version = screen.getByLabelText('Version version');
    fireEvent.change(version, { target: { value: '1.0' } });
    await waitFor(() => expect(yamlText()).toMatch(/version: "?1\.0"?\n/));
    const wrapper = version.closest('.mantine-InputWrapper-root') as HTMLElement;
    const error = wrapper.querySelector('.mantine-InputWrapper-error');
    expect(error).not.toBeNull();
    expect(error!.textContent).toMatch(/semver|version/i);
  });

  it('makes the form read-only while the YAML does not parse', async () => {
    renderService();
    const view = yamlView();
    act(() => {
      view.dispatch({ changes: { from: 0, insert: 'configuration: [\n' } });
    });
    await waitFor(() => expect(screen.getByLabelText('Start command cmd')).toBeDisabled());
    expect(screen.getAllByText(/The form is read-only for now/).length).toBeGreaterThan(0);
  });

  it('keeps showing the last parsed values, marked stale, while the YAML does not parse', async () => {
    renderService();
    act(() => {
      yamlView().dispatch({ changes: { from: 0, insert: 'configuration: [\n' } });
    });
    const cmd = screen.getByLabelText('Start command cmd');
    await waitFor(() => expect(cmd).toBeDisabled());
    expect(cmd).toHaveValue('python3 /usr/bin/services/hello.py');
    expect(screen.getByLabelText('Working directory workingDir')).toHaveValue('/');
    const notice = screen.getAllByTestId('form-stale')[0];
    expect(notice).toHaveAttribute('data-stale', 'true');
    expect(notice).toHaveTextContent(/stale/);
    expect(cmd.closest('[data-stale]')).not.toBeNull();

    // Fixing the text brings the current values back, no longer stale.
    act(() => {
      yamlView().dispatch({ changes: { from: 0, to: 'configuration: [\n'.length, insert: '' } });
    });
    await waitFor(() => expect(cmd).toBeEnabled());
    expect(screen.queryAllByTestId('form-stale')).toHaveLength(0);
  });
});
