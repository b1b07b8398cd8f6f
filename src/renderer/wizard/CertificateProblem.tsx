// Why a wizard's certificate file cannot be read, and, when the reason is its password, the
// field to type it (both wizards' certificate steps). Keyed by the path: a password typed for
// one file is never kept for the next.
import { useState } from 'react';
import { Alert } from '@mantine/core';
import type { AppError } from '../../shared/contract';
import { UnlockPasswordField } from '../common/UnlockPasswordField';

interface Props {
  error: AppError;
  unlock: (password: string) => void;
  loading: boolean;
  /** The step's own check already says what is wrong, under the field (a missing file): no second alert. */
  saidUnderField: boolean;
}

export function CertificateProblem({ error, unlock, loading, saidUnderField }: Props) {
  const [password, setPassword] = useState('');
  const locked = error.code === 'wrong-password';
  return (
    <>
      {locked && (
        <UnlockPasswordField
          label="Certificate password"
          description="Only used to read the certificate; it is never stored."
          value={password}
          onChange={setPassword}
          onSubmit={() => unlock(password)}
          submitLabel="Unlock"
          loading={loading}
        />
      )}
      {!saidUnderField && (
        <Alert color={locked ? 'yellow' : 'red'} title="Cannot read this certificate">
          {error.message}
        </Alert>
      )}
    </>
  );
}
