import {
  createTheme,
  darken,
  defaultCssVariablesResolver,
  Drawer,
  luminance,
  Menu,
  Modal,
  Notification,
  type CSSVariablesResolver,
  type MantineTheme,
} from '@mantine/core';

// Every close × gets a name screen readers can say (axe: button-name).
const closeButtonProps = { 'aria-label': 'Close' };

export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled colours one shade darker in light (white on indigo 6 is 4.3:1, on 8 it is 5.7:1),
  // and text on filled badges and buttons picks black or white by contrast, so yellow and
  // orange badges get black text instead of white at 1.9:1. The threshold is where black
  // and white give the same contrast (relative luminance ≈ 0.18).
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.19,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "Fira Code", ui-monospace, Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
    // Mantine parks the focus on a role="presentation" tabindex=-1 placeholder inside the
    // menu, which a menu may not own (axe: aria-required-children); without it the first
    // item takes the focus when the menu opens, as the WAI-ARIA menu pattern says.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
  },
});

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` darkened in small steps until it reads at 4.5:1 (WCAG AA) on `background`. */
function readableOn(color: string, background: string): string {
  let c = color;
  for (let amount = 0.05; contrast(c, background) < 4.6 && amount < 0.8; amount += 0.05) c = darken(color, amount);
  return c;
}

/**
 * Mantine's defaults with text colours raised to WCAG AA (4.5:1) on the app's surfaces:
 * dimmed text (gray 6 on white is 3.3:1, dark 2 on dark 7 is 4.0:1), error text (red 6 on
 * white is 3.3:1, red 8 on dark 7 is 3.4:1), and the text of light badges and alerts
 * (orange 9 on orange 1 is 3.6:1) and of outline ones (orange 8 on white is 3.6:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = (t: MantineTheme) => {
  const base = defaultCssVariablesResolver(t);
  const lightColors: Record<string, string> = {};
  for (const [name, shades] of Object.entries(t.colors)) {
    if (name === 'dark') continue;
    lightColors[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
    // Outline badges and buttons sit on white, hovered (gray 2) and selected rows.
    lightColors[`--mantine-color-${name}-outline`] = readableOn(shades[8], t.colors.gray[2]);
  }
  return {
    ...base,
    light: {
      ...base.light,
      ...lightColors,
      // 5.8:1 on white, 4.9:1 on gray 2 (the hovered and active rows).
      '--mantine-color-dimmed': '#5f666d',
      '--mantine-color-error': 'var(--mantine-color-red-9)',
    },
    dark: {
      ...base.dark,
      // 6.4:1 on the body, 4.6:1 on dark 5 (hovered rows).
      '--mantine-color-dimmed': '#a6a6a6',
      '--mantine-color-error': 'var(--mantine-color-red-5)',
    },
  };
};

// The chosen colour scheme is kept in main's settings (./settings.tsx); until the user picks
// one, MantineProvider follows the system ('auto').
