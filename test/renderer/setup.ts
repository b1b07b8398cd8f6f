// jsdom lacks a few browser APIs that Mantine and CodeMirror use; these are the polyfills
// Mantine documents for its Vitest set-up, plus what CodeMirror measures with.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// findBy* and waitFor give up after 1 s by default; on a busy 2-core box (CI runs two test
// files at once beside Chromium) a modal that opens after an API round trip and a React render
// can take longer. A wait that succeeds ends as soon as it can, so only a failure waits longer.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const { getComputedStyle } = window;
window.getComputedStyle = (elt: Element, pseudo?: string | null) => getComputedStyle(elt, pseudo);
window.HTMLElement.prototype.scrollIntoView = () => {};

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: vi.fn().mockImplementation((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  })),
});

class ResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserver as unknown as typeof window.ResizeObserver;

// CodeMirror measures text through Range rects, which jsdom does not implement.
const emptyRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
const zeroRect = () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) }) as DOMRect;
Range.prototype.getClientRects = emptyRects;
Range.prototype.getBoundingClientRect = zeroRect;
document.elementFromPoint = () => null;

// jsdom computes an element's labels by walking the whole document and, for every label
// in it, the label's control by walking the tree again; Testing Library asks every
// labelable element for its labels, so one *ByLabelText query on a form of a hundred
// fields took seconds. The same rule (HTML: a label labels the element its `for` names,
// or without `for` its first labelable descendant), through the document's own lookups.
const LABELABLE = 'button, input:not([type="hidden" i]), meter, output, progress, select, textarea';
function controlOf(label: HTMLLabelElement): Element | null {
  if (label.hasAttribute('for')) {
    const target = label.ownerDocument.getElementById(label.htmlFor);
    return target && target.matches(LABELABLE) ? target : null;
  }
  return label.querySelector(LABELABLE);
}
for (const type of [HTMLInputElement, HTMLTextAreaElement, HTMLSelectElement, HTMLButtonElement, HTMLMeterElement, HTMLOutputElement, HTMLProgressElement]) {
  const jsdomLabels = Object.getOwnPropertyDescriptor(type.prototype, 'labels')!.get!;
  Object.defineProperty(type.prototype, 'labels', {
    configurable: true,
    get(this: HTMLElement) {
      if (this.getRootNode() !== this.ownerDocument) return jsdomLabels.call(this);
      if (this instanceof HTMLInputElement && this.type === 'hidden') return null;
      const candidates = new Set<HTMLLabelElement>();
      if (this.id) for (const label of this.ownerDocument.querySelectorAll<HTMLLabelElement>(`label[for="${CSS.escape(this.id)}"]`)) candidates.add(label);
      for (let node = this.parentElement; node; node = node.parentElement) if (node instanceof HTMLLabelElement) candidates.add(node);
      // Document order, as the spec's NodeList is.
      return [...candidates].filter((label) => controlOf(label) === this).sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    },
  });
}
