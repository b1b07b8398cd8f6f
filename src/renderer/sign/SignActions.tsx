// The service view's Sign button and its menu (Verify a bundle…). The signing job lives
// here, not in the drawer, so it keeps running (and its button shows so) while the drawer
// is closed.
import { useEffect, useState } from 'react';
import { ActionIcon, Button, Loader, Menu, Tooltip } from '@mantine/core';
import { IconDots, IconPackageExport, IconShieldCheck } from '@tabler/icons-react';
import { VerifyBundleModal, type VerifyRequest } from '../verify/VerifyBundleModal';
import { SignDrawer, type SignDrawerProps } from './SignDrawer';
import { useSignJob } from './use-sign-job';
import { useUploadJob } from './use-upload-job';

/** What the service view passes through to the drawer; the rest belongs to this component. */
type Props = Omit<SignDrawerProps, 'opened' | 'onClose' | 'job' | 'onVerify' | 'upload' | 'uploadBundle'>;

export function SignActions(props: Props) {
  const job = useSignJob(Date.now, props.kind === 'deployment' ? 'deployment.sign' : 'bundle.sign');
  const upload = useUploadJob();
  const [opened, setOpened] = useState(false);
  const [verify, setVerify] = useState<VerifyRequest | null>(null);
  const running = job.state.kind === 'running' || job.state.kind === 'starting';
  // The bundle built last, for Verify a bundle…: kept when the drawer clears the outcome.
  const [lastBundle, setLastBundle] = useState<string | undefined>();
  const built = job.state.kind === 'done' ? job.state.result.path : undefined;
  useEffect(() => {
    if (built) setLastBundle(built);
  }, [built]);

  return (
    <>
      <Tooltip label={running ? 'Signing… (open to follow or cancel)' : `Build and sign ${props.kind === 'deployment' ? 'batch.tar.gz' : 'service.tar.gz'}`}>
        <Button
          variant="light"
          leftSection={running ? <Loader size={14} /> : <IconPackageExport size={16} />}
          onClick={() => setOpened(true)}
          data-testid="open-sign"
        >
          Sign
        </Button>
      </Tooltip>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="lg" aria-label="More actions">
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconShieldCheck size={16} />} onClick={() => setVerify(lastBundle ? { path: lastBundle } : {})}>
            Verify a bundle…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SignDrawer
        {...props}
        opened={opened}
        onClose={() => setOpened(false)}
        job={job}
        upload={upload}
        uploadBundle={lastBundle}
        onVerify={(path, certPath) => setVerify({ path, certPath, autoRun: true })}
      />
      <VerifyBundleModal request={verify} onClose={() => setVerify(null)} />
    </>
  );
}
