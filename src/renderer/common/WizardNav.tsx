// The buttons under a creating wizard's step: Cancel (first step) or Back, then Next (a
// submit: the form checks the step before moving on) or, at the last step, the one that
// creates what the wizard makes.
import { Button, Group } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconCheck } from '@tabler/icons-react';

interface Props {
  step: number;
  last: number;
  onCancel: () => void;
  onBack: () => void;
  /** The step's own checks (against the disk too) are running. */
  checking: boolean;
  onCreate: () => void;
  creating: boolean;
  createLabel: string;
}

export function WizardNav({ step, last, onCancel, onBack, checking, onCreate, creating, createLabel }: Props) {
  return (
    <Group justify="space-between" mt="xl">
      <Button variant="default" onClick={step === 0 ? onCancel : onBack} leftSection={<IconArrowLeft size={16} />}>
        {step === 0 ? 'Cancel' : 'Back'}
      </Button>
      {step < last ? (
        <Button type="submit" rightSection={<IconArrowRight size={16} />} loading={checking}>
          Next
        </Button>
      ) : (
        <Button onClick={onCreate} loading={creating} leftSection={<IconCheck size={16} />}>
          {createLabel}
        </Button>
      )}
    </Group>
  );
}
