// New service in four steps. Back/Next live outside the Stepper (the Stepper only shows
// where you are); each step's fields are validated before moving on, the folder and the
// certificate against the disk too (step-checks.ts), so a clash shows at its own step and
// not only when Create fails.
import { useEffect, useState } from 'react';
import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ServiceSnapshot } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { useLastFolder } from '../common/use-last-folder';
import { WizardFrame, type WizardStep } from '../common/WizardFrame';
import { WizardNav } from '../common/WizardNav';
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

const STEPS: readonly WizardStep[] = [
  { label: 'Folder', description: 'Where and what' },
  { label: 'Run', description: 'Command and architecture' },
  { label: 'Certificate', description: 'Who signs' },
  { label: 'Review', description: 'Create' },
];
const LAST = STEPS.length - 1;

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
    <WizardFrame
      title="New service"
      intro={
        <>
          Creates <code>meta/config.yaml</code> from the commented template and an empty <code>src/</code>. Nothing is
          overwritten.
        </>
      }
      steps={STEPS}
      active={step}
      onStepClick={setStep}
      onLeave={onCancel}
      width={820}
    >
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

        <WizardNav step={step} last={LAST} onCancel={onCancel} onBack={back} checking={checking} onCreate={() => void create()} creating={creating} createLabel="Create service" />
      </form>
    </WizardFrame>
  );
}
