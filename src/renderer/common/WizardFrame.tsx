// The frame every multi-step wizard shares (new service, new layer bundle, pack layer): the way back to
// the start screen and the theme toggle, the title and what the wizard makes, and a Mantine
// Stepper over the steps; the steps' content and buttons are the children.
import type { ReactNode } from 'react';
import { Box, Button, Container, Group, Paper, Stepper, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { ThemeToggle } from './ThemeToggle';

export interface WizardStep {
  label: string;
  description: string;
}

interface Props {
  title: string;
  intro: ReactNode;
  steps: readonly WizardStep[];
  active: number;
  /** A step before the active one was clicked; undefined when the steps cannot be revisited. */
  onStepClick?: (step: number) => void;
  onLeave: () => void;
  /** Where onLeave goes, in words. */
  leaveLabel?: string;
  /** The content's width (px). */
  width?: number;
  children: ReactNode;
}

export function WizardFrame({ title, intro, steps, active, onStepClick, onLeave, leaveLabel = 'Start screen', width = 1060, children }: Props) {
  // The page's main landmark and its one h1 (a screen reader's way in).
  return (
    <Box component="main" mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="space-between" p="md">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onLeave}>
          {leaveLabel}
        </Button>
        <ThemeToggle />
      </Group>
      <Container size={width} pb="xl">
        <Title order={1} size="h2" mb={4}>
          {title}
        </Title>
        <Text c="dimmed" mb="lg">
          {intro}
        </Text>
        <Paper withBorder p="xl" radius="md">
          {/* Only the steps done can be revisited: the others are no buttons to tab to or click
              (Mantine makes every step one while onStepClick is set, unless told otherwise). */}
          <Stepper active={active} onStepClick={onStepClick ? (i) => i < active && onStepClick(i) : undefined} allowNextStepsSelect={false} size="sm" mb="xl">
            {steps.map((s) => (
              <Stepper.Step key={s.label} label={s.label} description={s.description} />
            ))}
          </Stepper>
          {children}
        </Paper>
      </Container>
    </Box>
  );
}
