import { createTheme, localStorageColorSchemeManager } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "Fira Code", ui-monospace, Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
});

/** Persisted choice; before the user picks one, MantineProvider follows the system ('auto'). */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'bundle-studio-color-scheme' });
