// A dependant's config path breaks after a slash, never inside a name (the Remove version
// dialog showed "config.yaml:1" over "6").
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { theme } from '../../src/renderer/app/theme';
import { DependantsList } from '../../src/renderer/layers/DependantsList';
import type { LayerDependantView } from '../../src/shared/contract';

describe('BreakablePath in the dependants table', () => {
  it('offers a break after every slash and none inside a name; the text stays the path', () => {
    const dependant: LayerDependantView = {
      kind: 'service',
      root: '/tmp/w/services/weather',
      configPath: '/tmp/w/services/weather/meta/config.yaml',
      name: 'weather',
      from: 'workspace',
      range: '1.0.0 ≤ v < 1.5.0',
      architecture: 'amd64',
      line: 16,
    };
    const { container } = render(
      <MantineProvider theme={theme} env="test">
        <DependantsList dependants={[dependant]} />
      </MantineProvider>,
    );
    const code = container.querySelector('code')!;
    expect(code.textContent).toBe('/tmp/w/services/weather/meta/config.yaml:16');
    expect(code.querySelectorAll('wbr')).toHaveLength(6);
    // Every break opportunity follows a slash.
    for (const wbr of code.querySelectorAll('wbr')) expect(wbr.previousSibling?.textContent?.endsWith('/')).toBe(true);
    expect(code.style.wordBreak).not.toBe('break-all');
    expect(code.style.overflowWrap).toBe('anywhere');
  });
});
