// Follows main's 'outbox.changed' events: an entry that one of the app's pushes (the
// automatic push, Push now) moved, with its bytes sent while it uploads. The Outbox screen
// and the upload panel after Queue both follow entries by it.
import { useEffect, useRef } from 'react';
import type { EventPayload, OutboxEntryView } from '../../shared/contract';
import { useApi } from '../api/context';

export type OutboxChange = EventPayload<'outbox.changed'>;
export type OutboxProgressView = NonNullable<OutboxChange['progress']>;

export function useOutboxChanges(onChange: (change: OutboxChange) => void): void {
  const { on } = useApi();
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => on('outbox.changed', (change) => latest.current(change)), [on]);
}

/**
 * Whether `next` is the same entry as it is now or later: its history only grows, so a
 * progress event sent before a state change (and delivered after it) never takes it back.
 */
export function notOlder(next: OutboxEntryView, current: OutboxEntryView): boolean {
  return next.id === current.id && next.history.length >= current.history.length;
}
