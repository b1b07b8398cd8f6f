// Whether the preview is open beside the config editor, and how wide it is (both kept
// across sessions). Closed, the right-hand side shows only the problems at their width.
import { useCallback, useState } from 'react';

const OPEN_KEY = 'bundle-studio-preview-open';
const WIDTH_KEY = 'bundle-studio-preview-width';
export const CLOSED_WIDTH = 340;
export const MIN_WIDTH = 400;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this session only
  }
}

function defaultWidth(): number {
  const w = typeof window === 'undefined' ? 1440 : window.innerWidth;
  return Math.round(Math.min(820, Math.max(MIN_WIDTH + 60, w * 0.44)));
}

export function maxWidth(): number {
  return Math.max(MIN_WIDTH, window.innerWidth - 340 - 380);
}

export function usePreviewLayout() {
  const [open, setOpenState] = useState(() => read(OPEN_KEY) === '1');
  const [width, setWidthState] = useState(() => Number(read(WIDTH_KEY)) || defaultWidth());

  const setOpen = useCallback((value: boolean) => {
    setOpenState(value);
    write(OPEN_KEY, value ? '1' : '0');
  }, []);
  const setWidth = useCallback((value: number) => {
    const clamped = Math.round(Math.min(maxWidth(), Math.max(MIN_WIDTH, value)));
    setWidthState(clamped);
    write(WIDTH_KEY, String(clamped));
  }, []);

  return { open, setOpen, toggle: () => setOpen(!open), width, setWidth, asideWidth: open ? Math.min(width, maxWidth()) : CLOSED_WIDTH };
}

export type PreviewLayout = ReturnType<typeof usePreviewLayout>;
