// Remove version: main runs the cloud's check first ('layers.removePlan'). Refused → the
// dependants are listed and nothing can be deleted; allowed → the files are named and only
// "Delete N files" sends that very list back ('layers.remove'), which main compares with
// its own plan again before it deletes anything.
import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconTrash } from '@tabler/icons-react';
import type { CatalogVersionView, LayerRemovalPlanView } from '../../shared/contract';
import { useApi } from '../api/context';
import { notifyError, notifySuccess } from '../common/notify';
import { DependantsList } from './DependantsList';

interface Props {
  target: CatalogVersionView | null;
  library: string;
  workspace?: string;
  onClose: () => void;
  onRemoved: (removedLayer: boolean) => void;
}

export function RemoveVersionModal({ target, library, workspace, onClose, onRemoved }: Props) {
  const { call } = useApi();
  const [plan, setPlan] = useState<LayerRemovalPlanView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setPlan(null);
    setError(null);
    if (!target) return;
    let live = true;
    call('layers.removePlan', { library, ...(workspace ? { workspace } : {}), uid: target.uid, version: target.version, architecture: target.architecture, os: target.os }).then(
      (p) => live && setPlan(p),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [call, target, library, workspace]);

  const remove = async () => {
    if (!target || !plan) return;
    setBusy(true);
    try {
      const done = await call('layers.remove', { library, ...(workspace ? { workspace } : {}), uid: target.uid, version: target.version, architecture: target.architecture, os: target.os, confirmedFiles: plan.files });
      notifySuccess(done.removedLayer ? `Removed layer ${target.uid}` : `Removed ${target.uid} ${target.version}`, `${done.removed.length} file${done.removed.length === 1 ? '' : 's'} deleted.`);
      onRemoved(done.removedLayer);
    } catch (e) {
      notifyError('Not removed', e);
    } finally {
      setBusy(false);
    }
  };

  const title = target ? `Remove ${target.uid} ${target.version} (${target.os}/${target.architecture})` : '';
  return (
    <Modal opened={target !== null} onClose={onClose} title={title} size="xl">
      {error && (
        <Alert color="red" icon={<IconAlertTriangle size={16} />} title="Could not check">
          {error}
        </Alert>
      )}
      {!plan && !error && <Loader size="sm" aria-label="Checking dependants" />}
      {plan && !plan.allowed && (
        <Stack>
          <Alert color="orange" icon={<IconAlertTriangle size={16} />} title="Removal refused" data-testid="removal-refused">
            {plan.message}
          </Alert>
          <DependantsList dependants={plan.dependants} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Keep the version</Button>
          </Group>
        </Stack>
      )}
      {plan && plan.allowed && (
        <Stack>
          <Text>{plan.message}</Text>
          <Text fw={600}>These files will be deleted (not to the trash):</Text>
          <List size="sm" data-testid="removal-files">
            {plan.files.map((f) => (
              <List.Item key={f}>
                <Code>{f}</Code>
              </List.Item>
            ))}
          </List>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" leftSection={<IconTrash size={16} />} loading={busy} onClick={() => void remove()}>
              Delete {plan.files.length} file{plan.files.length === 1 ? '' : 's'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
