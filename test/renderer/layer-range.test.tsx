import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CONFIG, snapshotOf } from './fixtures';
import { renderService, yamlText } from './service-helpers';

function openLayers() {
  fireEvent.click(screen.getByRole('tab', { name: 'Layers' }));
  return screen.getByTestId('layers-panel');
}

const errorOf = (input: HTMLElement) => input.closest('.mantine-InputWrapper-root')?.querySelector('.mantine-InputWrapper-error')?.textContent ?? null;

describe('layer version range picker', () => {
  it('shows the range of each layer in words', () => {
    renderService();
    const panel = openLayers();
    expect(within(panel).getByLabelText('Layer uid uid')).toHaveValue('aos-pylibs-layer');
    expect(within(panel).getByTestId('layer-range-words')).toHaveTextContent('1.0.0 ≤ v < 2.0.0');
  });

  it('writes a valid change into the config, keeping comments', async () => {
    renderService();
    const panel = openLayers();
    fireEvent.change(within(panel).getByLabelText('Maximum version maxVersion'), { target: { value: '3.0.0' } });
    await waitFor(() => expect(yamlText()).toContain('maxVersion: 3.0.0'));
    expect(yamlText()).toContain('# shared Python libraries');
    expect(within(panel).getByTestId('layer-range-words')).toHaveTextContent('1.0.0 ≤ v < 3.0.0');
  });

  it('"Exactly this version" sets max to min and hides max', async () => {
    renderService();
    const panel = openLayers();
    fireEvent.click(within(panel).getByLabelText('Exactly this version'));
    expect(within(panel).queryByLabelText('Maximum version maxVersion')).toBeNull();
    await waitFor(() => expect(yamlText()).toMatch(/minVersion: 1\.0\.0\n\s+maxVersion: 1\.0\.0/));
    expect(within(panel).getByTestId('layer-range-words')).toHaveTextContent('exactly 1.0.0');
  });

  it('refuses an invalid version at the field and leaves the config alone', () => {
    renderService();
    const panel = openLayers();
    const min = within(panel).getByLabelText('Minimum version minVersion');
    fireEvent.change(min, { target: { value: '1.0' } });
    expect(min).toHaveValue('1.0');
    expect(errorOf(min)).toMatch(/not a version/);
    expect(yamlText()).toBe(CONFIG);
    // The field shows what the file does not hold: that is unsaved, and Save will say why not.
    expect(screen.getByTestId('dirty-indicator')).toBeInTheDocument();
  });

  it('refuses a minimum above the maximum', () => {
    renderService();
    const panel = openLayers();
    const min = within(panel).getByLabelText('Minimum version minVersion');
    fireEvent.change(min, { target: { value: '2.5.0' } });
    expect(errorOf(within(panel).getByLabelText('Maximum version maxVersion'))).toMatch(/must not be lower than the minimum/);
    expect(yamlText()).toBe(CONFIG);
  });

  it('refuses a uid listed twice', async () => {
    const config = CONFIG.replace('  runner: crun', '    - uid: aos-nodejs-layer\n      minVersion: 1.0.0\n      maxVersion: 1.1.0\n  runner: crun');
    renderService(snapshotOf(config));
    const panel = openLayers();
    const second = within(panel).getAllByLabelText('Layer uid uid')[1];
    fireEvent.change(second, { target: { value: 'aos-pylibs-layer' } });
    expect(errorOf(second)).toMatch(/already listed/);
    expect(yamlText()).toBe(config);
  });

  it('adds a layer and removes one', async () => {
    renderService();
    const panel = openLayers();
    fireEvent.click(within(panel).getByRole('button', { name: 'Add layer' }));
    await waitFor(() => expect(within(panel).getAllByLabelText('Layer uid uid')).toHaveLength(2));
    const uid = within(panel).getAllByLabelText('Layer uid uid')[1];
    fireEvent.change(uid, { target: { value: 'aos-nodejs-layer' } });
    fireEvent.change(within(panel).getAllByLabelText('Minimum version minVersion')[1], { target: { value: '18.0.0' } });
    fireEvent.change(within(panel).getAllByLabelText('Maximum version maxVersion')[1], { target: { value: '19.0.0' } });
    await waitFor(() => expect(yamlText()).toMatch(/uid: "?aos-nodejs-layer"?[\s\S]*minVersion: 18\.0\.0[\s\S]*maxVersion: 19\.0\.0/));

    fireEvent.click(within(panel).getByRole('button', { name: 'Remove layer aos-pylibs-layer' }));
    await waitFor(() => expect(yamlText()).not.toContain('aos-pylibs-layer'));
    expect(within(panel).getAllByLabelText('Layer uid uid')).toHaveLength(1);
  });

  it('shows bare uids of older configs as any version and converts them', async () => {
    const config = CONFIG.replace(/ {2}layers:\n[\s\S]*? {2}runner/, '  layers:\n    - aos-pylibs-layer\n  runner');
    renderService(snapshotOf(config));
    const panel = openLayers();
    expect(within(panel).getByText('any version')).toBeInTheDocument();
    fireEvent.click(within(panel).getByRole('button', { name: 'Convert' }));
    await waitFor(() => expect(yamlText()).toMatch(/- uid: aos-pylibs-layer/));
    expect(within(panel).getByLabelText('Layer uid uid')).toHaveValue('aos-pylibs-layer');
  });
});
