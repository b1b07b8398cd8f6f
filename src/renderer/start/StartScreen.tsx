// The first screen: make a new service, open one, or pick up a recent one.
import { useEffect, useState } from 'react';
import { Badge, Box, Container, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { IconFolderOpen, IconPackage, IconShieldCheck, IconSparkles } from '@tabler/icons-react';
import type { Output } from '../../shared/contract';
import { useApi } from '../api/context';
import { ThemeToggle } from '../common/ThemeToggle';
import { RecentServices } from './RecentServices';
import classes from './StartScreen.module.css';
import { VerifyBundleModal, type VerifyRequest } from '../verify/VerifyBundleModal'; // Verify (src/renderer/verify)
import { VerifyDropOverlay } from '../verify/VerifyDropOverlay';

interface Props {
  onNew: () => void;
  onOpen: (dir?: string) => void;
}

export function StartScreen({ onNew, onOpen }: Props) {
  const { call } = useApi();
  const [info, setInfo] = useState<Output<'app.info'> | null>(null);
  const [verify, setVerify] = useState<VerifyRequest | null>(null);

  useEffect(() => {
    call('app.info', {}).then(setInfo, () => setInfo(null));
  }, [call]);

  return (
    <>
    <Box component="main" className={classes.page}>
      <Group justify="flex-end" p="md">
        <ThemeToggle />
      </Group>
      <Container size={760} pb="xl">
        <Stack gap="xl">
          <Group gap="md" wrap="nowrap">
            <ThemeIcon size={56} radius="lg" variant="gradient" gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}>
              <IconPackage size={32} />
            </ThemeIcon>
            <div>
              <Title order={1}>Bundle Studio</Title>
              <Text c="dimmed">Author, check, preview and sign AosEdge service bundles.</Text>
            </div>
          </Group>

          <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="md">
            <ActionCard
              icon={<IconSparkles size={22} />}
              title="New service"
              text="Create a service folder with a commented config.yaml and an empty src/."
              shortcut="Ctrl+N"
              onClick={onNew}
            />
            <ActionCard
              icon={<IconFolderOpen size={22} />}
              title="Open service"
              text="Open a folder that holds meta/config.yaml."
              shortcut="Ctrl+O"
              onClick={() => onOpen()}
            />
            <ActionCard
              icon={<IconShieldCheck size={22} />}
              title="Verify bundle"
              text="Check a signed service.tar.gz: structure, hashes and, given a certificate, the signature."
              shortcut=""
              onClick={() => setVerify({})}
            />
          </SimpleGrid>

          <Paper withBorder p="md" radius="md">
            <Title order={2} size="h4" mb="sm">
              Recent services
            </Title>
            <RecentServices onOpen={onOpen} />
          </Paper>

          {info && (
            <Group gap="xs" justify="center">
              <Text size="xs" c="dimmed">
                Bundle Studio {info.version}
              </Text>
              <Badge size="xs" variant="light" color={info.mode === 'electron' ? 'indigo' : 'gray'}>
                {info.mode === 'electron' ? 'desktop' : 'browser mode'}
              </Badge>
            </Group>
          )}
        </Stack>
      </Container>
    </Box>
    <VerifyBundleModal request={verify} onClose={() => setVerify(null)} />
    <VerifyDropOverlay disabled={verify !== null} onFile={(file) => setVerify({ dropped: file })} />
    </>
  );
}

function ActionCard(props: { icon: React.ReactNode; title: string; text: string; shortcut: string; onClick: () => void }) {
  return (
    <UnstyledButton className={classes.card} onClick={props.onClick}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <ThemeIcon variant="light" size={40} radius="md">
          {props.icon}
        </ThemeIcon>
        <Text size="xs" c="dimmed" ff="monospace">
          {props.shortcut}
        </Text>
      </Group>
      <Text fw={600} mt="md" size="lg">
        {props.title}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        {props.text}
      </Text>
    </UnstyledButton>
  );
}
