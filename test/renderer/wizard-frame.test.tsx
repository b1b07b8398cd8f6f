// The wizards' shared frame: only the steps already done are reachable from the Stepper, so a
// keyboard user never tabs onto a step that does nothing when pressed.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { theme } from '../../src/renderer/app/theme';
import { WizardFrame } from '../../src/renderer/common/WizardFrame';

const STEPS = ['Folder', 'Item', 'Images', 'Review'].map((label) => ({ label, description: `${label} step` }));

function frame(onStepClick?: (step: number) => void) {
  render(
    <MantineProvider theme={theme} env="test">
      <WizardFrame title="A wizard" intro="What it makes" steps={STEPS} active={2} onStepClick={onStepClick} onLeave={() => undefined}>
        <p>step content</p>
      </WizardFrame>
    </MantineProvider>,
  );
  return STEPS.map((s) => screen.getByText(s.label).closest('button')!);
}

describe('WizardFrame steps', () => {
  it('the steps done can be clicked and tabbed to; the current and later ones cannot', () => {
    const onStepClick = vi.fn();
    const buttons = frame(onStepClick);
    expect(buttons.map((b) => b.tabIndex)).toEqual([0, 0, -1, -1]);
    fireEvent.click(buttons[3]);
    fireEvent.click(buttons[2]);
    expect(onStepClick).not.toHaveBeenCalled();
    fireEvent.click(buttons[0]);
    expect(onStepClick).toHaveBeenCalledWith(0);
  });

  it('without onStepClick no step is reachable', () => {
    expect(frame().map((b) => b.tabIndex)).toEqual([-1, -1, -1, -1]);
  });
});
