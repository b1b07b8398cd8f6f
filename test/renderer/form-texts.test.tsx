// The config form says what it means: a warning looks like a warning (not an error), help
// texts show `code` as code, every label is words first and the key after in mono (with
// units on thresholds), and a placeholder can never be taken for a typed value.
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CONFIG, snapshotOf } from './fixtures';
import { renderService } from './service-helpers';
import { renderWithApi } from './render';
import { DiagnosticsList } from '../../src/renderer/common/DiagnosticsList';

const wrapperOf = (input: HTMLElement) => input.closest('.mantine-InputWrapper-root') as HTMLElement;

/** A tab by its name; a count of problems may follow it ("Publish1"). */
function openTab(name: string) {
  fireEvent.click(screen.getByRole('tab', { name: new RegExp(`^${name}\\d*$`) }));
}

// The whole service view in jsdom, on a machine other jobs share: a wide time limit.
const SLOW = { timeout: 240_000 };

describe('config form texts', () => {
  it('shows a warning as a warning and an error as an error', SLOW, () => {
    const text = CONFIG.replace('os: linux', 'os: windows').replace('version: "1.0.0"', 'version: "1.0"');
    renderService(snapshotOf(text));
    openTab('Build');
    const os = wrapperOf(screen.getByLabelText('Operating system os'));
    const warning = within(os).getByTestId('field-feedback');
    expect(warning).toHaveAttribute('data-severity', 'warning');
    expect(warning.textContent).toMatch(/^Warning: build\.os is 'windows'/);
    expect(os.className).toMatch(/warning/);

    openTab('Publish');
    const version = wrapperOf(screen.getByLabelText('Version version'));
    const error = within(version).getByTestId('field-feedback');
    expect(error).toHaveAttribute('data-severity', 'error');
    expect(error.textContent).not.toMatch(/Warning/);
    expect(version.className).not.toMatch(/warning/);
  });

  it('marks a warning in the layer picker as a warning', SLOW, () => {
    renderService(snapshotOf(CONFIG.replace('      maxVersion: 2.0.0\n', '      maxVersion:\n')));
    openTab('Layers');
    const problem = within(screen.getByTestId('layers-panel')).getByTestId('layer-problem');
    expect(within(problem).getByTestId('field-feedback')).toHaveAttribute('data-severity', 'warning');
    expect(problem.textContent).toMatch(/^Warning: /);
  });

  it('renders `backticks` in help texts as inline code', SLOW, () => {
    renderService();
    openTab('Build');
    const form = screen.getByTestId('form-build');
    expect(form.textContent).not.toContain('`');
    const os = wrapperOf(screen.getByLabelText('Operating system os'));
    const codes = [...os.querySelectorAll('.mantine-InputWrapper-description code')].map((c) => c.textContent);
    expect(codes).toEqual(['linux', 'linux']);
    // Names a person knows, not the project's own shorthand for the platform's tools.
    expect(form.textContent).not.toMatch(/\bv[12] (upload )?tool\b/);
    openTab('Configuration');
    expect(screen.getByTestId('form-configuration').textContent).not.toContain('`');
    expect(screen.getByTestId('form-configuration').textContent).not.toMatch(/\bv[12] (upload )?tool\b/);
  });

  it('shows `code` in a Problems message as code', () => {
    const message = 'configuration.layers[0].uid is missing: Layer uid, e.g. `aos-pylibs-layer`.';
    renderWithApi(<DiagnosticsList diagnostics={[{ severity: 'error', code: 'missing-key', message, path: 'configuration.layers[0].uid', line: 3, column: 5, offset: 0, endOffset: 0 }]} onSelect={() => {}} />);
    const item = screen.getByTestId('diagnostic');
    expect(item.textContent).not.toContain('`');
    expect([...item.querySelectorAll('code')].map((c) => c.textContent)).toContain('aos-pylibs-layer');
  });

  it('labels every field with words first and its key after in mono', SLOW, () => {
    renderService();
    for (const tab of ['Build', 'Publish', 'Configuration']) {
      openTab(tab);
      const form = screen.getByTestId(`form-${tab.toLowerCase()}`);
      const inputs = [...form.querySelectorAll<HTMLElement>('[data-path]')];
      expect(inputs.length).toBeGreaterThan(tab === 'Configuration' ? 30 : 5);
      for (const input of inputs) {
        const key = input.dataset.path!.split('.').pop()!;
        const label = input.id ? form.querySelector(`label[for="${input.id}"]`) : input.closest('label');
        const code = label?.querySelector('[data-config-key]');
        expect(code?.textContent, input.dataset.path).toBe(key);
        const words = label!.textContent!.replace(key, '').trim();
        expect(words.length, input.dataset.path).toBeGreaterThan(2);
        expect(words, input.dataset.path).not.toBe(key);
      }
    }
    // Units where the format has one (querying labels directly: the whole form is large).
    const labels = [...document.querySelectorAll('[data-section="configuration.alerts"] label, [data-section="configuration.quotas"] label')].map((l) =>
      l.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(labels).toContain('CPU quota (DMIPS) cpu');
    expect(labels.filter((l) => l === 'Lower threshold (percent) minThreshold')).toHaveLength(3); // ram, cpu, storage
    expect(labels.filter((l) => l === 'Upper threshold (bytes) maxThreshold')).toHaveLength(2); // upload, download
  });

  it('labels the layer picker the same way', SLOW, () => {
    renderService();
    openTab('Layers');
    const panel = screen.getByTestId('layers-panel');
    const labels = [...panel.querySelectorAll('label')].map((l) => l.textContent!.replace(/\s+/g, ' ').trim());
    expect(labels).toEqual(expect.arrayContaining(['Layer uid uid', 'Minimum version minVersion', 'Maximum version maxVersion']));
  });

  it('never shows a placeholder that reads like a typed value', SLOW, () => {
    const text = CONFIG.replace('  workingDir: /\n', '').replace('  cmd: python3 /usr/bin/services/hello.py\n', '');
    renderService(snapshotOf(text));
    expect(screen.getByLabelText('Working directory workingDir')).toHaveAttribute('placeholder', 'default: /');
    expect(screen.getByLabelText('Start command cmd').getAttribute('placeholder')).toMatch(/^e\.g\. /);
    openTab('Layers');
    fireEvent.click(screen.getByRole('button', { name: 'Add layer' }));
    const panel = within(screen.getByTestId('layers-panel'));
    for (const input of [...panel.getAllByLabelText('Layer uid uid'), ...panel.getAllByLabelText('Minimum version minVersion'), ...panel.getAllByLabelText('Maximum version maxVersion')]) {
      expect(input.getAttribute('placeholder')).toMatch(/^e\.g\. /);
    }
  });
});
