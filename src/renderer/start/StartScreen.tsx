// The first screen: make a new service or layer bundle, open either (main says which kind
// the folder holds), verify a signed bundle, or pick up a recent one.
import { useEffect, useState } from 'react';
import { Badge, Box, Button, Container, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { IconBoxMultiple, IconCloudCog, IconFolderOpen, IconInbox, IconPackage, IconShieldCheck, IconSparkles, IconStack2 } from '@tabler/icons-react';
import { CloudSettingsModal } from '../cloud/CloudSettingsModal';
import type { FolderKind, Output } from '../../shared/contract';
import { useApi } from '../api/context';
import { ThemeToggle } from '../common/ThemeToggle';
import { RecentServices } from './RecentServices';
import classes from './StartScreen.module.css';
import { VerifyBundleModal, type VerifyRequest } from '../verify/VerifyBundleModal'; // Verify (src/renderer/verify)
import { VerifyDropOverlay } from '../verify/VerifyDropOverlay';

interface Props {
  onNew: () => void;
  onNewBundle: () => void;
  onPackLayer: () => void;
  /** `kind` when already known (a recent entry); else main detects it. */
  onOpen: (dir?: string, kind?: FolderKind) => void;
  /** The Layers screen (the layer catalog, inspect any layer image). */
  onLayers: () => void;
  onOutbox: () => void;
}

export function StartScreen({ onNew, onNewBundle, onPackLayer, onOpen, onLayers, onOutbox }: Props) {
  const { call } = useApi();
  const [info, setInfo] = useState<Output<'app.info'> | null>(null);
  const [verify, setVerify] = useState<VerifyRequest | null>(null);
  const [cloudSettings, setCloudSettings] = useState(false);
  const [waiting, setWaiting] = useState<number | null>(null);

  useEffect(() => {
    call('app.info', {}).then(setInfo, () => setInfo(null));
    call('outbox.list', {}).then((l) => setWaiting(l.entries.filter((e) => e.state !== 'done' && e.state !== 'failed').length), () => setWaiting(null));
  }, [call]);

  return (
    <>
    <Box component="main" className={classes.page}>
      <Group justify="flex-end" p="md" gap="xs">
        <Button variant="default" size="sm" leftSection={<IconInbox size={16} />} onClick={onOutbox} rightSection={waiting ? <Badge size="sm" variant="filled" color="blue" aria-label={`${waiting} waiting`}>{waiting}</Badge> : undefined}>
          Outbox
        </Button>
        <Button variant="default" size="sm" leftSection={<IconCloudCog size={16} />} onClick={() => setCloudSettings(true)}>
          Cloud settings
        </Button>
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
              <Text c="dimmed">Author, check, preview and sign AosEdge service and layer bundles.</Text>
            </div>
          </Group>

          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <ActionCard
              icon={<IconSparkles size={22} />}
              title="New service"
              text="Create a service folder with a commented config.yaml and an empty src/."
              shortcut="Ctrl+N"
              onClick={onNew}
            />
            <ActionCard
              icon={<IconStack2 size={22} />}
              title="New layer bundle"
              text="For OEM engineers: turn layer images (one per architecture) into a deployment bundle with config.yaml (schemaVersion 2)."
              shortcut=""
              onClick={onNewBundle}
            />
            <ActionCard
              icon={<IconBoxMultiple size={22} />}
              title="Pack layer"
              text="For OEM engineers without the Yocto flow: a layer image from a root filesystem minus its parent, previewed before it is written."
              shortcut=""
              onClick={onPackLayer}
            />
            <ActionCard
              icon={<IconFolderOpen size={22} />}
              title="Open service or layer bundle"
              text="Open a service (meta/config.yaml) or a layer bundle (config.yaml with schemaVersion 2): the app says which it found."
              shortcut="Ctrl+O"
              onClick={() => onOpen()}
            />
            <ActionCard
              icon={<IconShieldCheck size={22} />}
              title="Verify bundle"
              text="Check a signed service.tar.gz or batch.tar.gz: structure, hashes and, given a certificate, the signature."
              shortcut=""
              onClick={() => setVerify({})}
            />
            <ActionCard
              icon={<IconStack2 size={22} />}
              title="Layers"
              text="The layer library as a catalog: each version's libraries, OS features and files, an SBOM, and which services depend on it before you remove it."
              shortcut=""
              onClick={onLayers}
            />
          </SimpleGrid>

          <Paper withBorder p="md" radius="md">
            <Title order={2} size="h4" mb="sm">
              Recent services and bundles
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
    <CloudSettingsModal opened={cloudSettings} onClose={() => setCloudSettings(false)} />
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
