// Package URLs for the libraries an inspection found (purl spec, built with packageurl-js so
// the encoding is right). opkg has no purl type of its own: its packages are
// `pkg:generic/opkg/<name>@<version>?arch=<arch>`. A dpkg package's namespace is the
// distribution the layer's own os-release names (`pkg:deb/debian/...`), or none when the
// layer ships no os-release (the base image holds it, and we do not guess). Shared
// libraries are `pkg:generic/<libname>@<version>?soname=<DT_SONAME>`.
import { PackageURL } from 'packageurl-js';
import type { LayerLibrary } from '../inspect';

export function purlOf(lib: LayerLibrary, distribution: string | undefined): string {
  const arch = lib.architecture ? { arch: lib.architecture } : undefined;
  switch (lib.kind) {
    case 'dpkg':
      return new PackageURL('deb', distribution?.toLowerCase(), lib.name, lib.version, arch).toString();
    case 'opkg':
      return new PackageURL('generic', 'opkg', lib.name, lib.version, arch).toString();
    case 'python-dist-info':
    case 'python-egg-info':
      return new PackageURL('pypi', undefined, lib.name, lib.version).toString();
    case 'npm': {
      const slash = lib.name.startsWith('@') ? lib.name.indexOf('/') : -1;
      return slash > 0
        ? new PackageURL('npm', lib.name.slice(0, slash), lib.name.slice(slash + 1), lib.version).toString()
        : new PackageURL('npm', undefined, lib.name, lib.version).toString();
    }
    case 'shared-library':
      return new PackageURL('generic', undefined, lib.name, lib.version, lib.soname ? { soname: lib.soname } : undefined).toString();
  }
}
