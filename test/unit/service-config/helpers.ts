import { checkServiceConfig } from '../../../src/shared/service-config';
import type { Diagnostic } from '../../../src/shared/diagnostics';

/**
 * A valid config whose `configuration` section continues at line 13 with `extra`
 * (written at 4-space indentation). Lines 1-12 are fixed so tests can assert positions.
 */
export function config(extra = '', overrides: { build?: string; publish?: string } = {}): string {
  const build = overrides.build ?? '    os: linux\n    arch: x86\n    sign_pkcs12: aos-user-sp.p12\n';
  const publish =
    overrides.publish ?? '    url: aoscloud.io\n    service_uid: abc\n    tls_pkcs12: aos-user-sp.p12\n    version: "1.0.0"\n';
  return `build:\n${build}publish:\n${publish}configuration:\n    cmd: python3 /app.py\n    workingDir: /\n${extra}`;
}

export function diagnostics(text: string): Diagnostic[] {
  return checkServiceConfig(text).diagnostics;
}

export function errors(text: string): Diagnostic[] {
  return diagnostics(text).filter((d) => d.severity === 'error');
}

/** The single diagnostic the text produces; fails with the full list otherwise. */
export function only(text: string): Diagnostic {
  const list = diagnostics(text);
  expect(list, JSON.stringify(list, null, 2)).toHaveLength(1);
  return list[0];
}

/** Line changes between two texts (as [old lines, new lines] of the differing middle). */
export function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}
