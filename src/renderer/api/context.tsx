// The API as a React context so that tests (and the screenshot harness) can hand the
// screens a fake, and the screens get a typed `call` that throws ApiError on failure.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Api, Channel, Input, Output } from '../../shared/contract';
import { ApiError } from './errors';

export interface ApiClient {
  api: Api;
  /** The channel's value, or throws an ApiError carrying the AppError. */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  on: Api['on'];
}

export function createClient(api: Api): ApiClient {
  return {
    api,
    async call(channel, input) {
      const result = await api.invoke(channel, input);
      if (!result.ok) throw new ApiError(result.error);
      return result.value;
    },
    on: (event, listener) => api.on(event, listener),
  };
}

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  const client = useMemo(() => createClient(api), [api]);
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside <ApiProvider>');
  return client;
}
