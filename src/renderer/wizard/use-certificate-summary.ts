// Whose certificate a .p12 path is, read by main once the user stops typing; a protected
// key is unlocked with a password held for that one call. Used by both wizards.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CertificateSummary } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { joinPath } from '../common/paths';

export function useCertificateSummary(path: string) {
  const { call } = useApi();
  const [summary, setSummary] = useState<CertificateSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  const describe = useCallback(
    async (file: string, pw?: string) => {
      const ticket = ++latest.current;
      setLoading(true);
      try {
        const result = await call('credentials.describe', { path: file, ...(pw ? { password: pw } : {}) });
        if (ticket !== latest.current) return;
        setSummary(result);
        setError(null);
      } catch (err) {
        if (ticket !== latest.current) return;
        setSummary(null);
        setError(errorOf(err));
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    },
    [call],
  );

  // Describe whatever the path field holds, once the user stops typing.
  useEffect(() => {
    setSummary(null);
    setError(null);
    if (!path || !/\.(p12|pfx)$/i.test(path)) return;
    const timer = setTimeout(() => void describe(path), 350);
    return () => clearTimeout(timer);
  }, [path, describe]);

  return { summary, error, loading, unlock: (password: string) => describe(path, password) };
}

/** The default certificate in ~/.aos/security/ (named `fileName`), when there is one. */
export function useDefaultCertificate(homeDir: string | undefined, fileName: string) {
  const { call } = useApi();
  const [found, setFound] = useState<{ path: string; summary: CertificateSummary } | null>(null);
  useEffect(() => {
    if (!homeDir) return;
    const file = joinPath(joinPath(joinPath(homeDir, '.aos'), 'security'), fileName);
    call('credentials.describe', { path: file }).then(
      (s) => setFound({ path: file, summary: s }),
      () => setFound(null),
    );
  }, [call, homeDir, fileName]);
  return found;
}
