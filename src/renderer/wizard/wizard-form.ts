// The new-service wizard's values and the checks each step must pass before Next.
import { useForm } from '@mantine/form';
import { joinPath } from '../common/paths';

export interface NewServiceValues {
  parent: string;
  name: string;
  cmd: string;
  workingDir: string;
  arch: 'x86' | 'aarch64';
  /** Empty: keep the template's default name (aos-user-sp.p12). */
  pkcs12Path: string;
}

export const DEFAULT_PKCS12 = 'aos-user-sp.p12';

export const ARCHITECTURES = [
  { value: 'x86', label: 'x86 (amd64)' },
  { value: 'aarch64', label: 'aarch64 (arm64)' },
];

/** The fields each step owns, validated when the user presses Next. */
export const STEP_FIELDS: (keyof NewServiceValues)[][] = [['parent', 'name'], ['cmd', 'workingDir', 'arch'], ['pkcs12Path'], []];

// A folder name that works on every platform and in the cloud's listings.
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function useNewServiceForm(initialParent = '') {
  return useForm<NewServiceValues>({
    mode: 'controlled',
    initialValues: { parent: initialParent, name: '', cmd: '', workingDir: '/', arch: 'x86', pkcs12Path: '' },
    validate: {
      parent: (v) => (v.trim() ? null : 'Choose the folder the service goes into'),
      name: (v) => {
        if (!v.trim()) return 'Give the service a name';
        if (!NAME_RE.test(v.trim())) return 'Use letters, digits, dots, dashes and underscores; start with a letter or digit';
        return null;
      },
      cmd: (v) => (v.trim() ? null : 'Say how the service starts, e.g. python3 /usr/bin/services/main.py'),
      workingDir: (v) => (v.trim().startsWith('/') ? null : 'An absolute path inside the container, e.g. /'),
      arch: (v) => (v === 'x86' || v === 'aarch64' ? null : 'Pick an architecture'),
      pkcs12Path: (v) => (!v.trim() || /\.(p12|pfx)$/i.test(v.trim()) ? null : 'Pick a .p12 or .pfx file'),
    },
  });
}

export type NewServiceForm = ReturnType<typeof useNewServiceForm>;

export function targetDir(values: Pick<NewServiceValues, 'parent' | 'name'>): string {
  return joinPath(values.parent, values.name);
}

/** Validates the fields of one step; true when they all pass. */
export function validateStep(form: NewServiceForm, step: number): boolean {
  let ok = true;
  for (const field of STEP_FIELDS[step] ?? []) {
    const result = form.validateField(field) as { hasError: boolean };
    if (result.hasError) ok = false;
  }
  return ok;
}
