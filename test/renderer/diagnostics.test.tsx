import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../../src/shared/diagnostics';
import { DiagnosticsList } from '../../src/renderer/common/DiagnosticsList';
import { CONFIG, snapshotOf } from './fixtures';
import { renderService, yamlView } from './service-helpers';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  severity: 'error',
  code: 'invalid-semver',
  message: 'Not a version',
  path: 'publish.version',
  line: 3,
  column: 12,
  offset: 40,
  endOffset: 45,
  ...over,
});

describe('diagnostics list', () => {
  it('lists errors and warnings with line:column and key path', () => {
    const onSelect = vi.fn();
    const list = [d({}), d({ severity: 'warning', code: 'empty-uid', message: 'service_uid is empty', path: 'publish.service_uid', line: 7, column: 3 })];
    render(
      <MantineProvider env="test">
        <DiagnosticsList diagnostics={list} onSelect={onSelect} />
      </MantineProvider>,
    );
    const items = screen.getAllByTestId('diagnostic');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Not a version');
    expect(items[0]).toHaveTextContent('3:12');
    expect(items[0]).toHaveTextContent('publish.version');
    expect(items[1]).toHaveAttribute('data-severity', 'warning');
    expect(screen.getByText('1 error')).toBeInTheDocument();
    expect(screen.getByText('1 warning')).toBeInTheDocument();
    fireEvent.click(items[1]);
    expect(onSelect).toHaveBeenCalledWith(list[1]);
  });

  it('says so when there is nothing to report', () => {
    render(
      <MantineProvider env="test">
        <DiagnosticsList diagnostics={[]} onSelect={() => {}} />
      </MantineProvider>,
    );
    expect(screen.getByText('No problems found.')).toBeInTheDocument();
  });

  it('jumps to the offending value in the YAML text on click', async () => {
    const config = CONFIG.replace('version: "1.0.0"', 'version: "1.0"');
    renderService(snapshotOf(config));
    const item = await screen.findByText(/1\.0/, { selector: '[data-testid=diagnostic] *' }).catch(() => null);
    const diagnostic = item?.closest('[data-testid=diagnostic]') ?? screen.getAllByTestId('diagnostic').find((el) => el.textContent?.includes('publish.version'));
    expect(diagnostic).toBeTruthy();
    fireEvent.click(diagnostic!);

    await waitFor(() => expect(screen.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true'));
    await waitFor(() => {
      const { from, to } = yamlView().state.selection.main;
      expect(config.slice(from, to)).toMatch(/1\.0/);
    });
  });

  it('merges the filesystem warnings from config.validate', async () => {
    renderService(snapshotOf(CONFIG.replace('# plenty', '# plenty ')), {
      'config.validate': () => ({
        diagnostics: [d({ severity: 'warning', code: 'credential-not-found', message: 'aos-user-sp.p12 is not in meta/ or ~/.aos/security/', path: 'build.sign_pkcs12', line: 7, column: 16, offset: 100, endOffset: 115 })],
      }),
    });
    // The snapshot's text and the editor's agree, so validation runs after the first edit.
    fireEvent.change(screen.getByLabelText('Working directory workingDir'), { target: { value: '/srv' } });
    await waitFor(() => expect(within(screen.getByTestId('diagnostics')).getByText(/is not in meta/)).toBeInTheDocument(), { timeout: 3000 });
  });
});
