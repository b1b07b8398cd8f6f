// Dropping a file anywhere on the screen that mounts this starts verifying it: a veil
// says so while a file is dragged over the window. Only where the host tells a dropped
// file's path (the desktop app): a browser never does, so browser mode shows no veil for a
// drop it would refuse, and only keeps the page from navigating to the dropped file.
import { useEffect, useRef, useState } from 'react';
import { Overlay, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useApi } from '../api/context';
import { dragHasFiles } from './dropped-file';

/** `label`, `icon`, `testId`: what the veil says (the Layers screen's drop inspects a layer image). */
export function VerifyDropOverlay({ onFile, disabled, label = 'Drop a bundle to verify it', icon, testId = 'verify-drop-overlay' }: { onFile: (file: File) => void; disabled?: boolean; label?: string; icon?: React.ReactNode; testId?: string }) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const onFileRef = useRef(onFile);
  onFileRef.current = onFile;

  const { api } = useApi();
  const accepts = typeof api.pathForFile === 'function';

  useEffect(() => {
    if (disabled) return;
    if (!accepts) {
      const refuse = (e: DragEvent) => {
        if (!dragHasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
      };
      document.addEventListener('dragover', refuse);
      document.addEventListener('drop', refuse);
      return () => {
        document.removeEventListener('dragover', refuse);
        document.removeEventListener('drop', refuse);
      };
    }
    const enter = (e: DragEvent) => {
      if (!dragHasFiles(e)) return;
      depth.current++;
      setOver(true);
    };
    const overHandler = (e: DragEvent) => {
      if (!dragHasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!dragHasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (file) onFileRef.current(file);
    };
    document.addEventListener('dragenter', enter);
    document.addEventListener('dragover', overHandler);
    document.addEventListener('dragleave', leave);
    document.addEventListener('drop', drop);
    return () => {
      depth.current = 0;
      setOver(false);
      document.removeEventListener('dragenter', enter);
      document.removeEventListener('dragover', overHandler);
      document.removeEventListener('dragleave', leave);
      document.removeEventListener('drop', drop);
    };
  }, [disabled, accepts]);

  if (!over) return null;
  return (
    <Overlay fixed backgroundOpacity={0.55} blur={2} zIndex={150} center data-testid={testId}>
      <Stack align="center" gap="xs" c="white" style={{ pointerEvents: 'none' }}>
        {icon ?? <IconShieldCheck size={48} />}
        <Text fw={600} size="lg">
          {label}
        </Text>
      </Stack>
    </Overlay>
  );
}
