import {
  createTheme,
  darken,
  lighten,
  defaultCssVariablesResolver,
  Drawer,
  DrawerHeader,
  luminance,
  Menu,
  Modal,
  ModalHeader,
  Notification,
  Stepper,
  type CSSVariablesResolver,
  type MantineTheme,
} from '@mantine/core';

// Every close × gets a name screen readers can say (axe: button-name).
const closeButtonProps = { 'aria-label': 'Close' };
const asDiv = { component: 'div' } as Record<string, unknown>;

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
    // A dialog's header is not the page's banner: Mantine's <header> inside role=dialog
    // counts as a second banner landmark (axe landmark-no-duplicate-banner).
    // (The headers pass `component` on to their Box; their prop types just do not list it.)
    ModalHeader: ModalHeader.extend({ defaultProps: asDiv }),
    DrawerHeader: DrawerHeader.extend({ defaultProps: asDiv }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
    // Mantine parks the focus on a role="presentation" tabindex=-1 placeholder inside the
    // menu, which a menu may not own (axe: aria-required-children); without it the first
    // item takes the focus when the menu opens, as the WAI-ARIA menu pattern says.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    // A step's number changes colour at once with the colour scheme, but Mantine fades its
    // circle's background over 150 ms: right after a switch to dark it is light grey (dark 1)
    // on light grey (gray 2), 1.4:1, which screenshots taken then caught. No fade, no such frame.
    Stepper: Stepper.extend({ styles: { stepIcon: { transition: 'none' } } }),
  },
});

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * `color` darkened (on a light background) or lightened (on a dark one) in small steps until
 * it reads at 4.5:1 (WCAG AA) on `background`.
 */
function readableOn(color: string, background: string): string {
  const shift = luminance(background) > 0.18 ? darken : lighten;
  let c = color;
  for (let amount = 0.05; contrast(c, background) < 4.6 && amount < 0.8; amount += 0.05) c = shift(color, amount);
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
  const darkColors: Record<string, string> = {};
  for (const [name, shades] of Object.entries(t.colors)) {
    if (name === 'dark') continue;
    // Dark: Mantine's shade 4 (violet 4 is 4.0:1 on dark 6, the cards and menus).
    darkColors[`--mantine-color-${name}-text`] = readableOn(shades[4], t.colors.dark[6]);
    lightColors[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
    // Outline badges and buttons sit on white, hovered (gray 2) and selected rows.
    const outline = readableOn(shades[8], t.colors.gray[2]);
    lightColors[`--mantine-color-${name}-outline`] = outline;
    // Coloured text (c="teal": Mantine gives the filled shade, teal 8 is 3.9:1 on white) on the same surfaces.
    lightColors[`--mantine-color-${name}-text`] = outline;
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
      ...darkColors,
      // 6.4:1 on the body, 4.6:1 on dark 5 (hovered rows).
      '--mantine-color-dimmed': '#a6a6a6',
      '--mantine-color-error': 'var(--mantine-color-red-5)',
    },
  };
};

// The chosen colour scheme is kept in main's settings (./settings.tsx); until the user picks
// one, MantineProvider follows the system ('auto').
