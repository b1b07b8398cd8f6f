import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "Fira Code", ui-monospace, Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
});

// The chosen colour scheme is kept in main's settings (./settings.tsx); until the user picks
// one, MantineProvider follows the system ('auto').
