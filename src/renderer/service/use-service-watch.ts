// Follows an open service folder on disk: asks main to watch it ('service.watch') while the
// view is mounted and hands each 'service.changed' burst for that watch to `onChange`.
// Events that arrive before the watch id is known are held, then sorted out by id (another
// window may watch the same folder). Where watching is unavailable the view works as before.
import { useEffect, useRef } from 'react';
import type { EventPayload, ServiceChangeView } from '../../shared/contract';
import { useApi } from '../api/context';

export function useServiceWatch(root: string, onChange: (changes: ServiceChangeView[]) => void): void {
  const client = useApi();
  const latest = useRef(onChange);
  latest.current = onChange;

  useEffect(() => {
    let watchId: string | null = null;
    let stopped = false;
    const early: EventPayload<'service.changed'>[] = [];
    const deliver = (e: EventPayload<'service.changed'>) => {
      if (e.watchId === watchId) latest.current(e.changes);
    };
    const off = client.on('service.changed', (e) => {
      if (stopped) return;
      if (watchId === null) early.push(e);
      else deliver(e);
    });
    client.call('service.watch', { root }).then(
      (r) => {
        if (stopped) return void client.call('service.unwatch', { watchId: r.watchId }).catch(() => undefined);
        watchId = r.watchId;
        for (const e of early.splice(0)) deliver(e);
      },
      // No watching (an older main, a fake): changes show at save time as before.
      () => undefined,
    );
    return () => {
      stopped = true;
      off();
      if (watchId !== null) void client.call('service.unwatch', { watchId }).catch(() => undefined);
    };
  }, [client, root]);
}
