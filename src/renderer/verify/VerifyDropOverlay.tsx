// Dropping a file anywhere on the screen that mounts this starts verifying it: a veil
// says so while a file is dragged over the window.
import { useEffect, useRef, useState } from 'react';
import { Overlay, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { dragHasFiles } from './dropped-file';

export function VerifyDropOverlay({ onFile, disabled }: { onFile: (file: File) => void; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const onFileRef = useRef(onFile);
  onFileRef.current = onFile;

  useEffect(() => {
    if (disabled) return;
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
  }, [disabled]);

  if (!over) return null;
  return (
    <Overlay fixed backgroundOpacity={0.55} blur={2} zIndex={150} center data-testid="verify-drop-overlay">
      <Stack align="center" gap="xs" c="white" style={{ pointerEvents: 'none' }}>
        <IconShieldCheck size={48} />
        <Text fw={600} size="lg">
          Drop a bundle to verify it
        </Text>
      </Stack>
    </Overlay>
  );
}
