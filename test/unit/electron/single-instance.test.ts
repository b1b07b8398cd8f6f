import { describe, expect, it, vi } from 'vitest';
import { setupSingleInstance, type FocusableWindow } from '../../../src/main/electron/single-instance';

function fakeApp(gotLock: boolean) {
  const listeners = new Map<string, () => void>();
  return {
    listeners,
    requestSingleInstanceLock: vi.fn(() => gotLock),
    quit: vi.fn(),
    on: vi.fn((event: string, listener: () => void) => listeners.set(event, listener)),
  };
}

function fakeWindow(minimized: boolean, destroyed = false): FocusableWindow & Record<string, ReturnType<typeof vi.fn>> {
  return {
    isDestroyed: vi.fn(() => destroyed),
    isMinimized: vi.fn(() => minimized),
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
  };
}

describe('single instance', () => {
  it('the second instance quits without registering anything', () => {
    const app = fakeApp(false);
    expect(setupSingleInstance(app, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.on).not.toHaveBeenCalled();
  });

  it('the first instance focuses (and restores) its window on a second launch', () => {
    const app = fakeApp(true);
    const window = fakeWindow(true);
    expect(setupSingleInstance(app, () => window)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.listeners.get('second-instance')!();
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.show).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
  });

  it('does not restore a window that is not minimized, and tolerates no window', () => {
    const app = fakeApp(true);
    let window: FocusableWindow | null = null;
    setupSingleInstance(app, () => window);
    expect(() => app.listeners.get('second-instance')!()).not.toThrow();
    const w = fakeWindow(false);
    window = w;
    app.listeners.get('second-instance')!();
    expect(w.restore).not.toHaveBeenCalled();
    expect(w.focus).toHaveBeenCalledOnce();
    const gone = fakeWindow(false, true);
    window = gone;
    app.listeners.get('second-instance')!();
    expect(gone.focus).not.toHaveBeenCalled();
  });
});
