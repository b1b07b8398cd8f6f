// A field's own text while the user types, re-synced when the value it shows changes for
// another reason (a YAML edit, a reload). Without it a form field bound to the config would
// lose half-typed input that is not yet a valid value ("1." on the way to "1.5").
import { useState } from 'react';

export function useDraft<T>(external: T, toKey: (value: T) => string = (v) => JSON.stringify(v) ?? ''): [T, (draft: T) => void] {
  const key = toKey(external);
  const [state, setState] = useState({ key, draft: external });
  if (state.key !== key) {
    // Adjusting state during render (React's documented pattern for derived resets).
    const next = { key, draft: external };
    setState(next);
    return [external, (draft) => setState({ key, draft })];
  }
  return [state.draft, (draft) => setState({ key, draft })];
}
