// Pack layer: rootfs folder → parents → version and architecture → dry-run preview → pack
// (progress, Cancel) → result. The preview and the pack are main's 'layers.plan' and
// 'layers.pack' jobs, the use-case `aos-bundle layer pack` runs, so the preview lists exactly
// what the pack writes. A cancelled or failed pack leaves no file (main's guarantee, and the
// wizard says so only once main has reported the job's end).
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconArrowRight, IconPackage, IconX } from '@tabler/icons-react';
import type { LayerPlanView, PackedLayerView } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf, isApiError } from '../api/errors';
import { runJob, type JobProgress } from '../api/jobs';
import { WizardFrame } from '../common/WizardFrame';
import { IdentityStep } from './IdentityStep';
import { PackResult } from './PackResult';
import { PlanPreview } from './PlanPreview';
import { ParentsStep, RootfsStep } from './SourceSteps';
import { packProgressText } from './job-progress';
import { defaultOutDir, EMPTY_PACK_VALUES, packInput, stepErrors, type PackErrors, type PackValues } from './pack-form';

const STEPS = [
  { label: 'Root filesystem', description: 'What goes in' },
  { label: 'Parent', description: 'What it goes on' },
  { label: 'Version', description: 'Architecture, os' },
  { label: 'Preview', description: 'Dry run' },
  { label: 'Pack', description: 'Write' },
  { label: 'Result', description: 'Digest, where to' },
] as const;
const PREVIEW = 3;
const PACK = 4;
const RESULT = 5;

type JobState<T> = { status: 'idle' } | { status: 'running'; progress: JobProgress | null } | { status: 'done'; value: T } | { status: 'failed'; message: string } | { status: 'cancelled' };

interface Props {
  onCancel: () => void;
  /** Where Cancel goes back to, in words (the start screen unless opened from the Layers screen). */
  backLabel?: string;
  /** "Add to a layer bundle": the layer-bundle wizard with this image. */
  onAddToBundle: (image: { file: string; version: string }) => void;
}

export function PackLayerWizard({ onCancel, onAddToBundle, backLabel }: Props) {
  const client = useApi();
  const [values, setValues] = useState<PackValues>(EMPTY_PACK_VALUES);
  const [errors, setErrors] = useState<PackErrors>({});
  const [step, setStep] = useState(0);
  const [plan, setPlan] = useState<JobState<LayerPlanView>>({ status: 'idle' });
  const [pack, setPack] = useState<JobState<PackedLayerView>>({ status: 'idle' });
  const [startPath, setStartPath] = useState<string | undefined>();
  const jobId = useRef<string | null>(null);
  const planStop = useRef<AbortController | null>(null);

  useEffect(() => {
    client.call('app.info', {}).then((info) => setStartPath(info.mode === 'browser' ? info.cwd : info.homeDir), () => undefined);
  }, [client]);
  // Leaving the wizard stops a plan still running.
  useEffect(() => () => planStop.current?.abort(), []);

  const change = (patch: Partial<PackValues>) => {
    setValues((v) => {
      const next = { ...v, ...patch };
      // The output folder follows the rootfs until the user sets one.
      if (patch.rootfs !== undefined && (v.outDir === '' || v.outDir === defaultOutDir(v.rootfs))) next.outDir = patch.rootfs.trim() ? defaultOutDir(patch.rootfs) : '';
      return next;
    });
    // A problem goes once its field changes; the next Next checks again.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch) && !(k === 'parents' && 'rootfs' in patch))));
  };

  const runPlan = () => {
    planStop.current?.abort();
    const stop = new AbortController();
    planStop.current = stop;
    setPlan({ status: 'running', progress: null });
    runJob(client, 'layers.plan', packInput(values), { signal: stop.signal, onProgress: (p) => setPlan({ status: 'running', progress: p }) }).then(
      (value) => !stop.signal.aborted && setPlan({ status: 'done', value }),
      (err: unknown) => !stop.signal.aborted && setPlan({ status: 'failed', message: errorOf(err).message }),
    );
  };

  const runPack = () => {
    setStep(PACK);
    setPack({ status: 'running', progress: null });
    jobId.current = null;
    runJob(client, 'layers.pack', packInput(values), { onStarted: (id) => (jobId.current = id), onProgress: (p) => setPack({ status: 'running', progress: p }) }).then(
      (value) => {
        setPack({ status: 'done', value });
        setStep(RESULT);
      },
      (err: unknown) => {
        setPack(isApiError(err, 'cancelled') ? { status: 'cancelled' } : { status: 'failed', message: errorOf(err).message });
        setStep(PREVIEW);
      },
    );
  };
  // Asks main to stop; the job's end (cancelled) comes back through runJob, then the wizard says so.
  const cancelPack = () => {
    if (jobId.current) client.call('job.cancel', { jobId: jobId.current }).catch(() => undefined);
  };

  const next = () => {
    const e = stepErrors(step, values);
    setErrors(e);
    if (Object.keys(e).length) return;
    if (step + 1 === PREVIEW) {
      setPack({ status: 'idle' });
      runPlan();
    }
    setStep(step + 1);
  };
  const back = () => {
    planStop.current?.abort();
    setStep((s) => Math.max(0, s - 1));
  };
  const packing = pack.status === 'running';

  return (
    <WizardFrame
      title="Pack layer"
      intro={
        <>
          A layer image <code>&lt;os&gt;-&lt;arch&gt;-&lt;version&gt;.tar.gz</code> from a root filesystem minus its parent, as the
          platform's Yocto flow makes it, with its descriptor <code>&lt;os&gt;-&lt;arch&gt;-&lt;version&gt;.layer.json</code>. You see what goes in before anything is written.
        </>
      }
      steps={STEPS}
      active={step}
      onStepClick={packing || step === RESULT ? undefined : setStep}
      leaveLabel={backLabel}
      onLeave={() => {
        cancelPack();
        onCancel();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (step < PREVIEW) next();
        }}
      >
        {step === 0 && <RootfsStep values={values} errors={errors} onChange={change} startPath={startPath} />}
        {step === 1 && <ParentsStep values={values} errors={errors} onChange={change} startPath={startPath} />}
        {step === 2 && <IdentityStep values={values} errors={errors} onChange={change} />}
        {step === PREVIEW && (
          <Stack gap="md">
            {pack.status === 'cancelled' && (
              <Alert color="yellow" variant="light" title="Pack cancelled">
                No layer was written.
              </Alert>
            )}
            {pack.status === 'failed' && (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The layer was not packed">
                {pack.message} No layer was written.
              </Alert>
            )}
            {plan.status === 'running' && <JobBar label={packProgressText(plan.progress).label} percent={null} />}
            {plan.status === 'failed' && (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="No preview">
                {plan.message}
              </Alert>
            )}
            {plan.status === 'done' && <PlanPreview plan={plan.value} />}
          </Stack>
        )}
        {step === PACK && (
          <Stack gap="md">
            <JobBar {...packProgressText(pack.status === 'running' ? pack.progress : null)} />
            <Button variant="default" color="red" leftSection={<IconX size={16} />} onClick={cancelPack} w="fit-content">
              Cancel
            </Button>
          </Stack>
        )}
        {step === RESULT && pack.status === 'done' && <PackResult packed={pack.value} onAddToBundle={onAddToBundle} />}

        {step !== PACK && step !== RESULT && (
          <Group justify="space-between" mt="xl">
            <Button variant="default" onClick={step === 0 ? onCancel : back} leftSection={<IconArrowLeft size={16} />}>
              {step === 0 ? 'Cancel' : 'Back'}
            </Button>
            {step < PREVIEW ? (
              <Button type="submit" rightSection={<IconArrowRight size={16} />}>
                {step === 2 ? 'Preview' : 'Next'}
              </Button>
            ) : (
              <Button onClick={runPack} disabled={plan.status !== 'done'} leftSection={<IconPackage size={16} />}>
                Pack layer
              </Button>
            )}
          </Group>
        )}
        {step === RESULT && (
          <Group justify="flex-end" mt="xl">
            <Button variant="default" onClick={onCancel}>
              Done
            </Button>
          </Group>
        )}
      </form>
    </WizardFrame>
  );
}

function JobBar({ label, percent }: { label: string; percent: number | null }) {
  return (
    <Stack gap={6} data-testid="pack-progress">
      <Text size="sm">{label}</Text>
      <Progress value={percent ?? 100} striped={percent === null} animated={percent === null} aria-label={label} size="lg" />
    </Stack>
  );
}
