// Strict SemVer 2.0.0. `semver.valid` is lenient on purpose (it accepts `v1.0.0`, `=1.0.0`
// and surrounding spaces) while the platform wants the exact grammar, so we use the
// official regular expression from semver.org and only then hand over to the package.
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function isStrictSemver(text: unknown): text is string {
  return typeof text === 'string' && SEMVER_RE.test(text);
}

export function isPrerelease(version: string): boolean {
  const m = SEMVER_RE.exec(version);
  return !!m && m[4] !== undefined;
}
