// Strings, paths, host names, versions, sizes and durations: text as written in the YAML.
import { Text, TextInput } from '@mantine/core';
import { parseDuration, parseSize } from '../../../../shared/service-config';
import { useDraft } from '../../../common/use-draft';
import { useDraftProblem } from '../config-context';
import { describe, fieldLabel, fieldName, placeholderOf, useConfigField, type FieldProps } from './field-props';
import { monoInput } from '../../../common/format';

export function TextField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const shown = field.value === undefined || field.value === null ? '' : String(field.value);
  const [draft, setDraft] = useDraft(shown);
  // A write that failed (the edit was refused) leaves the old value in the file.
  const refused = draft.trim() !== shown.trim() && !(draft.trim() === '' && shown === '');
  useDraftProblem(path, fieldName(spec), refused ? 'the value could not be written' : null);

  const commit = (text: string) => {
    setDraft(text);
    if (text.trim() === '') field.set(spec.required ? '' : undefined);
    // Sizes may be plain numbers of bytes; keep them numbers in the YAML.
    else if (spec.kind === 'size' && /^\d+$/.test(text.trim())) field.set(Number(text.trim()));
    else field.set(text);
  };

  return (
    <TextInput
      label={fieldLabel(spec)}
      description={describe(spec)}
      placeholder={placeholderOf(spec)}
      value={draft}
      error={field.error}
      className={field.className}
      disabled={field.disabled}
      onChange={(e) => commit(e.currentTarget.value)}
      rightSectionWidth={spec.kind === 'size' || spec.kind === 'duration' ? 150 : undefined}
      rightSection={<Preview kind={spec.kind} text={draft} />}
      data-path={field.dataPath}
      styles={spec.kind === 'path' || spec.kind === 'semver' || spec.kind === 'host' ? monoInput : undefined}
    />
  );
}

/** What a size or a duration means, so "100M" and "100Mi" do not surprise anyone. */
function Preview({ kind, text }: { kind: string; text: string }) {
  if (!text.trim()) return null;
  let preview: string | null = null;
  if (kind === 'size') {
    const size = parseSafe(() => parseSize(text));
    preview = size ? `= ${formatBytes(size.bytes)}` : null;
  } else if (kind === 'duration') {
    const d = parseSafe(() => parseDuration(text));
    preview = d ? `= ${formatSeconds(d.seconds)}` : null;
  }
  if (!preview) return null;
  return (
    <Text size="xs" c="dimmed" pr="xs" style={{ whiteSpace: 'nowrap' }}>
      {preview}
    </Text>
  );
}

function parseSafe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Decimal units, as the v1 tool counts them (k = 1000). */
function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${+(bytes / 1e9).toFixed(3)} GB`;
  if (bytes >= 1e6) return `${+(bytes / 1e6).toFixed(3)} MB`;
  if (bytes >= 1e3) return `${+(bytes / 1e3).toFixed(3)} kB`;
  return `${bytes} bytes`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${+seconds.toFixed(3)} s`;
  if (seconds < 3600) return `${+(seconds / 60).toFixed(2)} min`;
  if (seconds < 86400) return `${+(seconds / 3600).toFixed(2)} h`;
  return `${+(seconds / 86400).toFixed(2)} days`;
}
