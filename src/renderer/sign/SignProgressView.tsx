// A running signing job: one bar for the whole job, the phase, files and bytes done,
// rate, time left, and Cancel.
import { Group, Paper, Progress, SimpleGrid, Text } from '@mantine/core';
import { formatBytesDone, formatDuration, formatRate, overallPercent, phaseLabel, type JobProgress } from './progress-model';
import { ProgressCancel, ProgressStat } from '../common/ProgressStats';

interface Props {
  progress: JobProgress | null;
  rate: number | null;
  secondsLeft: number | null;
  cancelling: boolean;
  onCancel: () => void;
}

export function SignProgressView({ progress, rate, secondsLeft, cancelling, onCancel }: Props) {
  const percent = overallPercent(progress);
  const files = progress?.filesTotal ? `${progress.filesDone ?? 0} of ${progress.filesTotal}` : '–';
  return (
    <Paper withBorder p="md" radius="md" data-testid="sign-progress">
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={600} data-testid="sign-phase">
          {cancelling ? 'Cancelling…' : progress ? phaseLabel(progress.phase) : 'Starting…'}
        </Text>
        <Text size="sm" c="dimmed" ff="monospace">
          {percent.toFixed(0)}%
        </Text>
      </Group>
      <Progress value={percent} size="lg" radius="sm" striped animated={!cancelling} aria-label="Signing progress" />
      <SimpleGrid cols={4} spacing="xs" mt="sm">
        <ProgressStat label="Files" value={files} testId="sign-files" />
        <ProgressStat label="Bytes" value={progress && progress.total > 0 ? formatBytesDone(progress) : '–'} testId="sign-bytes" />
        <ProgressStat label="Rate" value={formatRate(rate)} testId="sign-rate" />
        <ProgressStat label="Time left" value={formatDuration(secondsLeft)} testId="sign-eta" />
      </SimpleGrid>
      <ProgressCancel onCancel={onCancel} cancelling={cancelling} />
    </Paper>
  );
}
