// The theme's text colours read at WCAG AA (4.5:1) on the surfaces they sit on, in light and
// dark (issue 8: dimmed #868e96 on white was 3.3:1). The e2e axe checks measure the screens;
// this pins the colour choices themselves, independent of which screens a test reaches.
// Also: wizard step numbers stay readable while the colour scheme changes.
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { luminance, mergeMantineTheme, DEFAULT_THEME, MantineProvider, Stepper } from '@mantine/core';
import { cssVariablesResolver, theme } from '../../src/renderer/app/theme';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
const vars = cssVariablesResolver(full);
const c = full.colors;

/** A variable's colour, following var(--mantine-color-<name>-<shade>) references. */
function resolve(value: string): string {
  const ref = /^var\(--mantine-color-([a-z]+)-(\d)\)$/.exec(value);
  return ref ? c[ref[1]][Number(ref[2])] : value;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('theme contrast', () => {
  it('dimmed and error text reach 4.5:1 on the body and on hovered rows, in light and dark', () => {
    for (const surface of ['#ffffff', c.gray[0], c.gray[1], c.gray[2]]) {
      expect(contrast(resolve(vars.light['--mantine-color-dimmed']), surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(resolve(vars.light['--mantine-color-error']), surface)).toBeGreaterThanOrEqual(4.5);
    }
    for (const surface of [c.dark[7], c.dark[6], c.dark[5]]) {
      expect(contrast(resolve(vars.dark['--mantine-color-dimmed']), surface)).toBeGreaterThanOrEqual(4.5);
    }
    for (const surface of [c.dark[7], c.dark[6]]) {
      expect(contrast(resolve(vars.dark['--mantine-color-error']), surface)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('light badges and alerts, and outline ones, keep their text readable in every colour', () => {
    for (const name of Object.keys(c).filter((n) => n !== 'dark')) {
      expect(contrast(resolve(vars.light[`--mantine-color-${name}-light-color`]), c[name][1]), name).toBeGreaterThanOrEqual(4.5);
      expect(contrast(resolve(vars.light[`--mantine-color-${name}-outline`]), c.gray[2]), name).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('coloured text (c="teal", c="orange") reads at 4.5:1 on the body and hovered rows, in light and dark', () => {
    for (const name of Object.keys(c).filter((n) => n !== 'dark')) {
      for (const surface of ['#ffffff', c.gray[2]]) {
        expect(contrast(resolve(vars.light[`--mantine-color-${name}-text`]), surface), name).toBeGreaterThanOrEqual(4.5);
      }
      // Dark: on the body and on cards and menus.
      for (const surface of [c.dark[7], c.dark[6]]) {
        expect(contrast(resolve(vars.dark[`--mantine-color-${name}-text`]), surface), name).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('the primary colour is a shade white text reads on', () => {
    const shade = typeof full.primaryShade === 'number' ? full.primaryShade : full.primaryShade.light;
    expect(contrast('#ffffff', c[full.primaryColor][shade])).toBeGreaterThanOrEqual(4.5);
  });
});

describe('wizard steps', () => {
  it("a step's number never sits on the other scheme's circle: its background switches with the text, unfaded", () => {
    render(
      <MantineProvider theme={theme} env="test">
        <Stepper active={0}>
          <Stepper.Step label="One" />
          <Stepper.Step label="Two" />
        </Stepper>
      </MantineProvider>,
    );
    const icons = document.querySelectorAll<HTMLElement>('.mantine-Stepper-stepIcon');
    expect(icons.length).toBe(2);
    for (const icon of icons) expect(icon.style.transition).toBe('none');
  });
});
