// What an inspection of a layer image reports (layers.md §1): the image's identity, what its
// files add up to, its whiteouts, and the libraries it ships with their versions, each with
// the file the fact was read from, so that a user can check it.

/** Where a library fact was read from. */
export type LibrarySourceKind = 'dpkg' | 'opkg' | 'python-dist-info' | 'python-egg-info' | 'npm' | 'shared-library';

export interface LayerLibrary {
  /** Package name (dpkg/opkg/PyPI/npm name), or for a shared library its file name up to `.so` (`libfoo`). */
  name: string;
  version: string;
  kind: LibrarySourceKind;
  /** The layer path the fact came from (`var/lib/dpkg/status`, `usr/lib/libfoo.so.1.2.3`, ...). */
  source: string;
  /** As the package metadata states it (not normalised). */
  license?: string;
  /** Package architecture (dpkg/opkg). */
  architecture?: string;
  /** Shared libraries: the ELF DT_SONAME, when the file has one. */
  soname?: string;
}

export type LayerForm = 'oci-layer' | 'legacy' | 'folder';

export interface LayerPlatform {
  os?: string;
  architecture?: string;
  /** The layer's own version (from the file name or the legacy layerId). */
  version?: string;
  /** The OS version the layer was built for (legacy metadata's osVersion). */
  osVersion?: string;
  /** The legacy metadata's declared osFeatures, as written. */
  declaredOsFeatures?: string[];
  /** Where the platform came from. */
  from: 'file-name' | 'metadata.json';
}

export interface TopFolderStats {
  /** First path component; '.' for entries at the layer root. */
  name: string;
  files: number;
  bytes: number;
  directories: number;
  symlinks: number;
  /** Hard links, devices and FIFOs. */
  other: number;
}

export interface LayerWhiteout {
  /** The whiteout entry's own path. */
  path: string;
  /** What it hides: a path (`.wh.<name>`), or the folder made opaque (`.wh..wh..opq`). */
  hides: string;
  kind: 'whiteout' | 'opaque' | 'overlayfs-device';
}

export interface LayerInspection {
  /** The file or folder inspected (absolute). */
  source: string;
  form: LayerForm;
  /**
   * What the image is: `application/vnd.oci.image.layer.v1.tar+gzip` (or `.tar` when not
   * compressed) for the current form; the legacy metadata's own (the layer tar's) for it.
   */
  mediaType?: string;
  /** sha256 of the file as stored (the compressed image); absent for a folder. */
  digest?: string;
  /** Size of the file as stored. */
  size?: number;
  /** sha256 of the uncompressed layer tar (the OCI diff_id; the legacy metadata's digest). */
  diffId?: string;
  /** Size of the uncompressed layer tar. */
  tarSize?: number;
  platform?: LayerPlatform;
  /** Legacy annotations.layerId (`<name>:<version>`). */
  layerId?: string;
  /** Legacy annotations.parrentLayerId / parrentLayerDigest (the misspelling is the format's). */
  parent?: { id?: string; digest?: string };
  files: {
    /** Regular files (hard links not counted twice). */
    count: number;
    bytes: number;
    folders: TopFolderStats[];
  };
  whiteouts: LayerWhiteout[];
  /** True when more whiteouts exist than are listed. */
  whiteoutsTruncated: boolean;
  /** Sorted by kind, name, version, source. */
  libraries: LayerLibrary[];
  librariesTruncated: boolean;
  /** The layer's own `etc/os-release` (or `usr/lib/os-release`), when it ships one. */
  osRelease?: { id?: string; versionId?: string; source: string };
  /** Package names (dpkg, opkg, Python, npm), sorted and unique: what the cloud lists as OS features. */
  osFeatures: string[];
  /** Things that are not fatal but that the user should know (a fact source skipped, a mismatch). */
  problems: string[];
  /** Every entry in stream order, when asked for (InspectLayerInput.listEntries), capped. */
  entries?: { path: string; type: string; size: number; linkpath?: string }[];
  entriesTruncated?: boolean;
}

export interface InspectProgress {
  /** Bytes of the file (or folder files) read so far. */
  done: number;
  total: number;
}
