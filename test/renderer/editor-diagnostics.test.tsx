// The YAML editor's lint markers, the form's messages and the Problems list are one list:
// a fix in the form clears the marker at once, and markers follow the text they concern.
import { act, fireEvent, screen, within } from '@testing-library/react';
import { forEachDiagnostic } from '@codemirror/lint';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/shared/diagnostics';
import { checkServiceConfig } from '../../src/shared/service-config';
import { CONFIG, snapshotOf } from './fixtures';
import { renderService, yamlView } from './service-helpers';

/** Main never answers again: what shows is what the renderer knows. */
const hangingValidate = () => new Promise<never>(() => {});

function markers(): { from: number; to: number; message: string }[] {
  const out: { from: number; to: number; message: string }[] = [];
  forEachDiagnostic(yamlView().state, (d, from, to) => out.push({ from, to, message: d.message }));
  return out;
}

const problemTexts = () => within(screen.getByTestId('diagnostics')).queryAllByTestId('diagnostic').map((el) => el.textContent ?? '');

describe('YAML editor markers', () => {
  it('show the same diagnostics as the form and Problems, and a form fix clears them at once', () => {
    const config = CONFIG.replace('version: "1.0.0"', 'version: "1.0"');
    // The snapshot's diagnostics (main's, for the opened text) include the same finding.
    const snapshot = { ...snapshotOf(config), diagnostics: checkServiceConfig(config).diagnostics };
    renderService(snapshot, { 'config.validate': hangingValidate });
    const at = config.indexOf('"1.0"');
    expect(markers().some((m) => m.from >= at && m.from <= at + 5 && /publish\.version/.test(m.message))).toBe(true);
    expect(problemTexts().some((t) => t.includes('publish.version'))).toBe(true);

    fireEvent.click(screen.getByRole('tab', { name: /^Publish\s*\d*$/ }));
    fireEvent.change(screen.getByLabelText('Version version'), { target: { value: '1.2.0' } });

    // No waiting for a linter pause or for main: the marker and the problem are gone now.
    expect(yamlView().state.doc.toString()).toContain('version: "1.2.0"');
    expect(markers().filter((m) => /publish\.version/.test(m.message))).toEqual([]);
    expect(problemTexts().some((t) => t.includes('publish.version'))).toBe(false);
  });

  it("keep main's filesystem finding on its value when lines are inserted above it", () => {
    const warning: Diagnostic = {
      severity: 'warning',
      code: 'credential-not-found',
      message: 'aos-user-sp.p12 is not in meta/ or ~/.aos/security/',
      path: 'build.sign_pkcs12',
      line: 7,
      column: 16,
      offset: CONFIG.indexOf('aos-user-sp.p12'),
      endOffset: CONFIG.indexOf('aos-user-sp.p12') + 'aos-user-sp.p12'.length,
    };
    renderService({ ...snapshotOf(), diagnostics: [warning] }, { 'config.validate': hangingValidate });
    const inserted = '# one\n# two\n';
    act(() => {
      yamlView().dispatch({ changes: { from: 0, insert: inserted } });
    });
    const text = yamlView().state.doc.toString();
    const value = text.indexOf('aos-user-sp.p12');
    const marker = markers().find((m) => /is not in meta/.test(m.message));
    expect(marker).toEqual(expect.objectContaining({ from: value, to: value + 'aos-user-sp.p12'.length }));
    expect(text.slice(marker!.from, marker!.to)).toBe('aos-user-sp.p12');
    // The Problems list gives the moved line too.
    expect(problemTexts().find((t) => /is not in meta/.test(t))).toMatch(/9:16/);
  });
});
