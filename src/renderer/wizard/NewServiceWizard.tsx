// New service in four steps. Back/Next live outside the Stepper (the Stepper only shows
// where you are); each step's fields are validated before moving on, the folder and the
// certificate against the disk too (step-checks.ts), so a clash shows at its own step and
// not only when Create fails.
import { useEffect, useState } from 'react';
import { Alert, Box, Button, Container, Group, Paper, Stepper, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconArrowRight, IconCheck } from '@tabler/icons-react';
import type { ServiceSnapshot } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { useLastFolder } from '../common/use-last-folder';
import { ThemeToggle } from '../common/ThemeToggle';
import { FolderStep } from './FolderStep';
import { RunStep } from './RunStep';
import { CertificateStep } from './CertificateStep';
import { ReviewStep } from './ReviewStep';
import { checkCertificateOnDisk, checkFolderOnDisk } from './step-checks';
import { targetDir, useNewServiceForm, validateStep } from './wizard-form';

interface Props {
  onCancel: () => void;
  onCreated: (snapshot: ServiceSnapshot) => void;
}

const LAST = 3;

export function NewServiceWizard({ onCancel, onCreated }: Props) {
  const { call } = useApi();
  const form = useNewServiceForm();
  const [step, setStep] = useState(0);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [homeDir, setHomeDir] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);
  const lastParent = useLastFolder('newService');

  // Start where the last new service went, else where the user most likely keeps services:
  // the folder the CLI ran in (browser mode) or the home folder (desktop).
  useEffect(() => {
    call('app.info', {}).then(
      (info) => {
        setHomeDir(info.homeDir);
        if (!form.getValues().parent) form.setFieldValue('parent', lastParent.folder || (info.mode === 'browser' ? info.cwd : info.homeDir));
      },
      () => undefined,
    );
    // Once per wizard: `form` is a new object every render, and only its setter is used.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [call]);

  const next = async () => {
    if (checking || !validateStep(form, step)) return;
    const v = form.getValues();
    const onDisk = step === 0 ? checkFolderOnDisk : step === 2 ? checkCertificateOnDisk : null;
    if (onDisk) {
      setChecking(true);
      const problem = await onDisk(call, v);
      setChecking(false);
      if (problem) {
        form.setFieldError(problem.field, problem.message);
        return;
      }
    }
    if (step === 0) lastParent.remember(v.parent.trim());
    setStep((s) => Math.min(s + 1, LAST));
  };
  const back = () => setStep((s) => Math.max(s - 1, 0));

  const create = async () => {
    const v = form.getValues();
    setCreating(true);
    setCreateError(null);
    try {
      const { root } = await call('service.init', {
        dir: targetDir(v),
        name: v.name.trim(),
        cmd: v.cmd.trim(),
        workingDir: v.workingDir.trim(),
        arch: v.arch,
        ...(v.pkcs12Path.trim() ? { pkcs12Path: v.pkcs12Path.trim() } : {}),
      });
      onCreated(await call('service.open', { dir: root }));
    } catch (err) {
      setCreateError(errorOf(err).message);
    } finally {
      setCreating(false);
    }
  };

  return (
    <Box component="main" mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="space-between" p="md">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onCancel}>
          Start screen
        </Button>
        <ThemeToggle />
      </Group>
      <Container size={820} pb="xl">
        <Title order={1} size="h2" mb={4}>
          New service
        </Title>
        <Text c="dimmed" mb="lg">
          Creates <code>meta/config.yaml</code> from the commented template and an empty <code>src/</code>. Nothing is
          overwritten.
        </Text>
        <Paper withBorder p="xl" radius="md">
          <Stepper active={step} onStepClick={(i) => i < step && setStep(i)} size="sm" mb="xl">
            <Stepper.Step label="Folder" description="Where and what" />
            <Stepper.Step label="Run" description="Command and architecture" />
            <Stepper.Step label="Certificate" description="Who signs" />
            <Stepper.Step label="Review" description="Create" />
          </Stepper>

          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (step < LAST) void next();
            }}
          >
            {step === 0 && <FolderStep form={form} />}
            {step === 1 && <RunStep form={form} />}
            {step === 2 && <CertificateStep form={form} homeDir={homeDir} />}
            {step === 3 && <ReviewStep values={form.getValues()} />}

            {createError && (
              <Alert mt="lg" color="red" icon={<IconAlertTriangle size={18} />} title="The service was not created">
                {createError}
              </Alert>
            )}

            <Group justify="space-between" mt="xl">
              <Button variant="default" onClick={step === 0 ? onCancel : back} leftSection={<IconArrowLeft size={16} />}>
                {step === 0 ? 'Cancel' : 'Back'}
              </Button>
              {step < LAST ? (
                <Button type="submit" rightSection={<IconArrowRight size={16} />} loading={checking}>
                  Next
                </Button>
              ) : (
                <Button onClick={() => void create()} loading={creating} leftSection={<IconCheck size={16} />}>
                  Create service
                </Button>
              )}
            </Group>
          </form>
        </Paper>
      </Container>
    </Box>
  );
}
