// Sizes are a number and a unit picker (the v1 tool's units) that shows the value in bytes;
// the YAML keeps the unit the user picked; one help line per group; CPU says DMIPS.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderService, yamlText } from './service-helpers';

function openResources() {
  fireEvent.click(screen.getByText('Resources and quotas'));
  return document.querySelector('[data-section="configuration.quotas"]') as HTMLElement;
}

describe('size fields', () => {
  it('show the amount, the unit as written and the value in bytes, with one help line per group', () => {
    renderService();
    const quotas = openResources();
    const mem = within(quotas).getByLabelText('Memory limit mem');
    expect(mem).toHaveValue('100');
    expect(within(quotas).getByLabelText('Memory limit unit')).toHaveValue('MB (×10⁶)');
    expect(mem.closest('[data-testid=size-field]')!.querySelector('[data-testid=size-bytes]')).toHaveTextContent('= 100,000,000 bytes');
    expect(within(quotas).getAllByTestId('size-help')).toHaveLength(1);
    expect(quotas.textContent).not.toContain('Plain number = bytes');
    expect(within(quotas).getByLabelText('Upload speed limit (per second) upload_speed')).toBeInTheDocument();
    expect(within(quotas).getByLabelText('CPU quota (DMIPS) cpu')).toBeInTheDocument();
  });

  // Opens a dropdown over the whole form: slow on a loaded machine, so a wider time limit.
  it('writes the number with the picked unit, keeping the comment', { timeout: 90_000 }, async () => {
    renderService();
    const quotas = openResources();
    fireEvent.change(within(quotas).getByLabelText('Memory limit mem'), { target: { value: '200' } });
    await waitFor(() => expect(yamlText()).toContain('mem: 200MB # plenty'));

    fireEvent.click(within(quotas).getByLabelText('Memory limit unit'));
    fireEvent.click(await screen.findByRole('option', { name: 'Ki (×1024)' }));
    await waitFor(() => expect(yamlText()).toContain('mem: 200Ki # plenty'));
    const mem = within(quotas).getByLabelText('Memory limit mem').closest('[data-testid=size-field]') as HTMLElement;
    expect(within(mem).getByTestId('size-bytes')).toHaveTextContent('= 204,800 bytes');
  });
});
