// A license as package metadata states it, sorted into what the SBOM formats can say: an
// SPDX license id, a valid SPDX expression, or a name that is neither (kept as written).
// Yocto recipes (so opkg packages) write `&` and `|` for AND and OR; those are read as such.
import { SPDX } from '@cyclonedx/cyclonedx-library';

export type LicenseFact = { kind: 'id'; id: string } | { kind: 'expression'; expression: string } | { kind: 'name'; name: string };

/** A plain boolean (the library's guard would narrow a non-id to never). */
const isLicenseId = (s: string): boolean => SPDX.isSupportedSpdxId(s);

export function classifyLicense(text: string, yoctoOperators = false): LicenseFact {
  const t = text.trim();
  if (isLicenseId(t)) return { kind: 'id', id: t };
  const expression = yoctoOperators ? t.replace(/\s*&\s*/g, ' AND ').replace(/\s*\|\s*/g, ' OR ') : t;
  if (isSpdxExpression(expression)) return { kind: 'expression', expression: normaliseSpaces(expression) };
  return { kind: 'name', name: t };
}

/** One blank between tokens, none inside parentheses: `(MIT OR Apache-2.0) AND BSD-3-Clause`. */
const normaliseSpaces = (e: string) => tokensOf(e).join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');

const tokensOf = (text: string) => text.replace(/[()]/g, ' $& ').trim().split(/\s+/);

const LICENSE_REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;
const EXCEPTION_ID = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** SPDX 2.3 Annex D: ids of the license list (or LicenseRef-), '+', WITH, AND, OR, parentheses. */
export function isSpdxExpression(text: string): boolean {
  const tokens = tokensOf(text);
  let i = 0;
  const term = (): boolean => {
    const t = tokens[i++];
    if (t === '(') {
      if (!expr()) return false;
      return tokens[i++] === ')';
    }
    if (t === undefined) return false;
    const id = t.endsWith('+') ? t.slice(0, -1) : t;
    if (!isLicenseId(id) && !LICENSE_REF.test(t)) return false;
    if (tokens[i] === 'WITH') {
      i++;
      const exception = tokens[i++];
      if (exception === undefined || !EXCEPTION_ID.test(exception)) return false;
    }
    return true;
  };
  const expr = (): boolean => {
    if (!term()) return false;
    while (tokens[i] === 'AND' || tokens[i] === 'OR') {
      i++;
      if (!term()) return false;
    }
    return true;
  };
  return tokens.length > 0 && tokens[0] !== '' && expr() && i === tokens.length;
}
