// Every form field is labelled the same way: words first (and the unit, where the format
// has one), then the config key in mono, e.g. "Working directory  `workingDir`".
import { Code } from '@mantine/core';

export function FieldLabel({ words, configKey, unit }: { words: string; configKey: string; unit?: string }) {
  return (
    <>
      {unit ? `${words} (${unit})` : words}{' '}
      <Code fz="xs" ml={4} data-config-key>
        {configKey}
      </Code>
    </>
  );
}
