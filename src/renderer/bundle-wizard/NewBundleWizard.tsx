// New layer bundle in six steps: folder, item, images, dependencies, certificate, review.
// Back/Next live outside the Stepper; each step's fields are validated before moving on.
// Create asks main's 'deployment.create' to copy the images in and write config.yaml
// (never over an existing bundle), then opens the bundle view.
import { useEffect, useMemo, useState } from 'react';
import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { DeploymentSnapshot } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { WizardFrame } from '../common/WizardFrame';
import { WizardNav } from '../common/WizardNav';
import { rowKey, targetDir, useNewBundleForm, validateStep } from './bundle-form';
import { buildBundleConfig, checkBundleConfig } from './build-config';
import { checkBundleFolderOnDisk } from './folder-check';
import { imagePlacement, rowFromPath } from './image-placement';
import { CertificateStep } from './CertificateStep';
import { DependenciesStep } from './DependenciesStep';
import { FolderStep } from './FolderStep';
import { ImagesStep } from './ImagesStep';
import { ItemStep } from './ItemStep';
import { ReviewStep } from './ReviewStep';

interface Props {
  /** A layer image to start with (the Pack layer wizard's "Add to a layer bundle"): type layer, its version, one image row. */
  initialImage?: { file: string; version: string };
  onCancel: () => void;
  onCreated: (snapshot: DeploymentSnapshot) => void;
}

const STEPS = [
  { label: 'Folder', description: 'Where' },
  { label: 'Item', description: 'What' },
  { label: 'Images', description: 'Per architecture' },
  { label: 'Dependencies', description: 'Parent layers' },
  { label: 'Certificate', description: 'Who signs' },
  { label: 'Review', description: 'Create' },
] as const;
const LAST = STEPS.length - 1;

export function NewBundleWizard({ initialImage, onCancel, onCreated }: Props) {
  const { call } = useApi();
  // The image it was opened with is already in the Images step.
  const form = useNewBundleForm('', initialImage ? { type: 'layer', version: initialImage.version, images: [{ ...rowFromPath(initialImage.file, 'file'), key: rowKey() }] } : {});
  const [step, setStep] = useState(0);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [homeDir, setHomeDir] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);

  // Start in the folder the CLI ran in (browser mode) or the home folder (desktop).
  useEffect(() => {
    call('app.info', {}).then(
      (info) => {
        setHomeDir(info.homeDir);
        if (!form.getValues().parent) form.setFieldValue('parent', info.mode === 'browser' ? info.cwd : info.homeDir);
      },
      () => undefined,
    );
    // Once per wizard: `form` is a new object every render, and only its setter is used.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [call]);

  const values = form.getValues();
  const dir = targetDir(values);
  const placements = useMemo(() => values.images.map((row) => imagePlacement(row, dir, values.codename)), [values.images, dir, values.codename]);
  const text = useMemo(() => (step === LAST ? buildBundleConfig(values, placements, homeDir) : ''), [step, values, placements, homeDir]);
  const diagnostics = useMemo(() => (text ? checkBundleConfig(text) : []), [text]);

  const next = async () => {
    if (checking || !validateStep(form, step)) return;
    if (step === 0) {
      setChecking(true);
      const problem = await checkBundleFolderOnDisk(call, form.getValues());
      setChecking(false);
      if (problem) {
        form.setFieldError('name', problem);
        return;
      }
    }
    setStep((s) => Math.min(s + 1, LAST));
  };
  const back = () => setStep((s) => Math.max(s - 1, 0));

  const create = async () => {
    setCreating(true);
    setCreateError(null);
    try {
      const copies = values.images.flatMap((row, i) => (placements[i].copied ? [{ from: row.source.trim(), to: placements[i].path }] : []));
      const { root } = await call('deployment.create', { dir, text, copies });
      onCreated(await call('deployment.open', { dir: root }));
    } catch (err) {
      setCreateError(errorOf(err).message);
    } finally {
      setCreating(false);
    }
  };

  return (
    <WizardFrame
      title="New layer bundle"
      intro={
        <>
          A deployment bundle (<code>config.yaml</code> with <code>schemaVersion: 2</code>) holding one item and its images, one
          per architecture. Nothing is overwritten.
        </>
      }
      steps={STEPS}
      active={step}
      onStepClick={setStep}
      onLeave={onCancel}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (step < LAST) void next();
        }}
      >
        {step === 0 && <FolderStep form={form} />}
        {step === 1 && <ItemStep form={form} />}
        {step === 2 && <ImagesStep form={form} />}
        {step === 3 && <DependenciesStep form={form} />}
        {step === 4 && <CertificateStep form={form} homeDir={homeDir} />}
        {step === 5 && <ReviewStep values={values} placements={placements} text={text} diagnostics={diagnostics} />}

        {createError && (
          <Alert mt="lg" color="red" icon={<IconAlertTriangle size={18} />} title="The bundle was not created">
            {createError}
          </Alert>
        )}

        <WizardNav step={step} last={LAST} onCancel={onCancel} onBack={back} checking={checking} onCreate={() => void create()} creating={creating} createLabel="Create bundle" />
      </form>
    </WizardFrame>
  );
}
