// The one API contract between the renderer and the main process. Every channel names its
// input and output schema; from this module come the TypeScript types, main's validation
// of every call, the preload's `window.api`, the browser-mode HTTP bridge and the typed
// fakes used by renderer tests. The renderer cannot tell Electron from browser mode.
import { z } from 'zod';
import { errorCodes, type AppError, type Result } from './errors';
import { OUTBOX_STATES } from './outbox-states';

const diagnostic = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  offset: z.number().int(),
  endOffset: z.number().int(),
  file: z.string().optional(),
});

/** An absolute or relative path as typed by a user; main resolves and checks it. */
const fsPath = z.string().min(1).max(4096);

export const srcEntry = z.object({
  /** Path relative to `src/`, POSIX separators. */
  path: z.string(),
  kind: z.enum(['file', 'directory', 'symlink', 'fifo', 'socket', 'char-device', 'block-device', 'other']),
  size: z.number(),
  /** Permission bits, e.g. 0o755. */
  mode: z.number().int(),
  /** For symlinks: the link text. */
  target: z.string().optional(),
  /** For symlinks whose target resolves outside src/. */
  escapes: z.boolean().optional(),
});

export const srcListing = z.object({
  entries: z.array(srcEntry),
  /** Entries found in total (entries may be capped for the UI). */
  total: z.number().int(),
  truncated: z.boolean(),
  totalBytes: z.number(),
  /** Paths of device files, fifos and sockets: the bundle refuses them. */
  special: z.array(z.string()),
});

export const serviceSnapshot = z.object({
  root: z.string(),
  configPath: z.string(),
  configText: z.string(),
  /** mtime of config.yaml when read, for the conflict check on save. */
  configMtimeMs: z.number(),
  diagnostics: z.array(diagnostic),
  src: srcListing,
});

export const certificateSummary = z.object({
  subject: z.object({
    commonName: z.string().optional(),
    organization: z.string().optional(),
    organizationalUnit: z.string().optional(),
    email: z.string().optional(),
  }),
  issuer: z.string(),
  serialNumber: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  keyType: z.string(),
  /** A guess from the file name, always labelled as a guess. */
  roleGuess: z.string().optional(),
  /** 'valid' | 'expired' | 'not-yet-valid' | 'expires-soon'. */
  status: z.enum(['valid', 'expired', 'not-yet-valid', 'expires-soon']),
});

/** The two kinds of folder the app opens: a v1 service tree (meta/config.yaml) or a schemaVersion 2 deployment bundle (config.yaml). */
export const folderKind = z.enum(['service', 'deployment']);

/** An open deployment bundle (deployment-bundle.md): config.yaml at the bundle root. */
export const deploymentSnapshot = z.object({
  root: z.string(),
  configPath: z.string(),
  configText: z.string(),
  /** mtime of config.yaml when read, for the conflict check on save. */
  configMtimeMs: z.number(),
  diagnostics: z.array(diagnostic),
});

/** What signing a deployment bundle packs into batch.tar.gz, and what in the folder it leaves out (deployment-bundle.md §3). */
export const batchContents = z.object({
  /** Every file signing packs, relative to the bundle root (POSIX), config.yaml included. */
  packed: z.array(z.object({ path: z.string(), size: z.number(), kind: z.enum(['file', 'directory', 'symlink']).optional() })),
  /** Bytes of the packed files, uncompressed. */
  totalBytes: z.number(),
  /** Files in the bundle folder that signing does not pack, with why when known. */
  notPacked: z.array(z.object({ path: z.string(), size: z.number().optional(), reason: z.string().optional() })),
  /** Referenced paths that cannot be packed (missing, outside the folder); the diagnostics say more. */
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Packed, but probably by mistake (a private key inside a referenced folder). */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});

/** One image of a deployment bundle as a unit sees it (previewDeploymentBundle). */
const deploymentImagePreview = z.object({
  key: z.string(),
  kind: z.enum(['layer', 'component', 'rootfs']),
  source: z.string(),
  descriptor: z.object({
    mediaType: z.string(),
    digest: z.string(),
    size: z.number(),
    annotations: z.record(z.string(), z.string()).optional(),
    platform: z.object({ architecture: z.string(), variant: z.string().optional(), os: z.string(), 'os.version': z.string().optional(), 'os.features': z.array(z.string()).optional() }),
  }),
  diffId: z.string().optional(),
  files: z.number().optional(),
});

export const deploymentPreview = z.object({
  kind: z.literal('deployment-bundle'),
  root: z.string(),
  items: z.array(z.object({ type: z.string(), codename: z.string(), version: z.string(), images: z.array(deploymentImagePreview), notes: z.array(z.string()) })),
});
export type DeploymentPreview = z.infer<typeof deploymentPreview>;

/** `kind` is absent in entries written before the app knew deployment bundles: those are services. */
export const recentService = z.object({ root: z.string(), name: z.string(), openedAt: z.string(), kind: folderKind.optional() });

/** A password: held in memory for one call, never logged or written. */
const secret = z.string().max(1024);
const jobStarted = z.object({ jobId: z.string() });
const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  location: z.object({ file: z.string(), line: z.number().optional(), column: z.number().optional(), path: z.string().optional() }).optional(),
});

export const signResult = z.object({
  path: z.string(),
  size: z.number(),
  sha256: z.string(),
  warnings: z.array(z.string()),
  /** The inner archive's size and SHA3-512, as package.sign holds them. */
  inner: z.object({ name: z.enum(['service.tar.gz', 'batch.tar.gz']), size: z.number(), sha3_512: z.string() }),
  kid: z.string(),
  files: z.number(),
});

const memberInfo = z.object({
  name: z.string(),
  stored: z.string(),
  type: z.string(),
  size: z.number(),
  mode: z.number().optional(),
  linkpath: z.string().optional(),
});
const signerInfo = z.object({ kid: z.string(), issuer: z.string().optional(), serial: z.string().optional() });
const verifyCheck = z.object({ id: z.string(), ok: z.boolean(), message: z.string(), member: z.string().optional(), field: z.string().optional() });
export const verifyReport = z.object({
  ok: z.boolean(),
  bundle: z.string(),
  checks: z.array(verifyCheck),
  failures: z.array(verifyCheck),
  signatureChecked: z.boolean(),
  signer: signerInfo.optional(),
  members: z.array(memberInfo),
});
export const inspectReport = z.object({
  bundle: z.string(),
  size: z.number(),
  members: z.array(memberInfo),
  config: z.object({
    version: z.string().optional(),
    serviceUid: z.string().optional(),
    url: z.string().optional(),
    cmd: z.union([z.string(), z.array(z.string())]).optional(),
    arch: z.string().optional(),
    os: z.string().optional(),
    stateRequired: z.boolean().optional(),
  }).optional(),
  configError: z.string().optional(),
  signer: signerInfo.optional(),
  signed: z.array(z.object({ name: z.string(), hash: z.string(), size: z.number() })).optional(),
  service: z.object({
    size: z.number(),
    sha3_512: z.string(),
    files: z.number(),
    directories: z.number(),
    symlinks: z.number(),
    bytes: z.number(),
    entries: z.array(memberInfo),
    truncated: z.boolean(),
  }).optional(),
  problems: z.array(z.string()),
});

/** Node parameters a unit knows and the author does not; every one has a stated default. */
export const nodeParams = z.object({
  maxDMIPS: z.number().int().positive().optional(),
  cpuCount: z.number().int().positive().max(1024).optional(),
  uid: z.number().int().nonnegative().optional(),
  gid: z.number().int().nonnegative().optional(),
  instanceId: z.string().max(200).optional(),
  subjectId: z.string().max(200).optional(),
  instanceIndex: z.number().int().nonnegative().optional(),
}).strict();

const json = z.json();
const previewWarning = z.looseObject({ code: z.string(), severity: z.string(), message: z.string(), path: z.string().optional(), line: z.number().optional(), column: z.number().optional() });
const traceEntry = z.looseObject({ path: z.string(), line: z.number().optional(), column: z.number().optional(), inferred: z.boolean() });
export const rootfsLayer = z.looseObject({ digest: z.string(), size: z.number(), diffId: z.string(), files: z.number() });
/** The 'job.done' value of 'layers.scan'. */
export const layerLibraryScan = z.object({
  dir: z.string(),
  /** Layer uids found (for the architecture of no particular service: all images). */
  layers: z.number(),
  /** Layer images (uid, os, arch, version) found. */
  versions: z.number(),
  problems: z.array(z.object({ file: z.string(), message: z.string() })),
});
/** One path a layer adds, changes or deletes relative to its parent ('layers.plan'). */
const layerPathChange = z.object({
  /** As the service sees it: '/usr/lib/libfoo.so.1'. */
  path: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'hardlink', 'other']),
  /** Content bytes; for a deletion, the bytes of everything it hides in the parent. */
  size: z.number(),
  target: z.string().optional(),
  /** Deletions: `.wh.<name>` ('whiteout') or the folder's `.wh..wh..opq` ('opaque'). */
  by: z.enum(['whiteout', 'opaque']).optional(),
});
/** A list of the plan, capped for the UI: count and bytes are of the whole list. */
const layerChangeList = z.object({ paths: z.array(layerPathChange), count: z.number().int(), bytes: z.number(), truncated: z.boolean() });
/** The 'job.done' value of 'layers.plan': what the layer would hold, before anything is written. */
export const layerPlanView = z.object({
  /** Where the image would go: `<outDir>/<os>-<arch>-<version>.tar.gz`. */
  file: z.string(),
  added: layerChangeList,
  changed: layerChangeList,
  deleted: layerChangeList,
  /** overlayfs character-device whiteouts found in the rootfs (converted to .wh. entries, never shipped). */
  converted: z.array(z.string()),
  /** Tar entries, regular files and their content bytes the pack would write. */
  entries: z.number().int(),
  files: z.number().int(),
  bytes: z.number(),
  warnings: z.array(z.string()),
});
/** The 'job.done' value of 'layers.pack'. */
export const packedLayerView = z.object({
  file: z.string(),
  /** Its descriptor beside it, `<os>-<arch>-<version>.layer.json` (one per image: several architectures share a folder). */
  descriptorFile: z.string(),
  /** A folder's older `layer.json` removed because it described the very image this pack replaced. */
  supersededDescriptor: z.string().optional(),
  digest: z.string(),
  size: z.number(),
  diffId: z.string(),
  os: z.string(),
  architecture: z.string(),
  version: z.string(),
});
/** What the Pack layer wizard asks (the same as `aos-bundle layer pack`). */
const layerPackInput = {
  rootfs: fsPath,
  /** Folders or layer images, base first; none: the whole rootfs goes in. */
  parents: z.array(fsPath).max(64),
  version: z.string().min(1).max(256),
  architecture: z.string().min(1).max(64),
  os: z.string().min(1).max(64).optional(),
  /** The platform's os.features in the image's descriptor: what the layer provides, by package name (the CLI's --os-feature). */
  osFeatures: z.array(z.string().trim().min(1).max(256)).max(256).optional(),
  /** Where the image and its descriptor go (checked by a plan too: never inside the rootfs). */
  outDir: fsPath,
};
export const ociPreview = z.looseObject({
  imageConfig: json,
  serviceConfig: json,
  itemConfig: json,
  manifest: z.object({ v8: json, v9: json }),
  index: json,
  runtimeSpec: z.object({ v8: json, v9: json }),
  overlay: json,
  layers: json,
  warnings: z.array(previewWarning),
  trace: z.record(z.string(), traceEntry),
  /** The rootfs layer used, or null while it has not been computed yet. */
  rootfs: rootfsLayer.nullable(),
  /** Node parameters with their defaults filled in. */
  node: json,
});


// --- The layer catalog (issue 10: the layer library as layers by uid, with dependants) ---
/** One catalog version: a layer image `<library>/<uid>/<os>-<arch>-<version>.tar.gz`. */
export const catalogVersion = z.object({
  uid: z.string(),
  version: z.string(),
  os: z.string(),
  /** OCI architecture name (amd64, arm64, arm). */
  architecture: z.string(),
  /** Absolute path of the image. */
  file: z.string(),
  size: z.number(),
  /** How many services and bundles select this version today (see 'layers.dependants'). */
  dependants: z.number().int(),
});
export const catalogLayer = z.object({
  uid: z.string(),
  /** Absolute path of `<library>/<uid>`. */
  folder: z.string(),
  /** Highest version first (SemVer precedence), then by architecture. */
  versions: z.array(catalogVersion),
  /** Architectures any version exists for, sorted. */
  architectures: z.array(z.string()),
  /** Distinct services and bundles that select some version of this layer. */
  dependants: z.number().int(),
});
/** A service or a deployment bundle item that selects a catalog version today. */
export const layerDependant = z.object({
  kind: z.enum(['service', 'bundle']),
  /** The service folder or the bundle folder. */
  root: z.string(),
  /** meta/config.yaml or config.yaml (absolute). */
  configPath: z.string(),
  /** The service's folder name, or the bundle item's codename. */
  name: z.string(),
  /** Where the app learnt of it: recent services or the workspace folder. */
  from: z.enum(['recent', 'workspace']),
  /** The range as written, in words ("1.0.0 ≤ v < 2.0.0", "any version"). */
  range: z.string(),
  /** The architecture it was selected for. */
  architecture: z.string(),
  /** The line of the range in the config (1-based), when known. */
  line: z.number().int().optional(),
});
export const layerCatalog = z.object({
  library: z.string(),
  workspace: z.string().optional(),
  layers: z.array(catalogLayer),
  /**
   * codename → the catalog uids it names: a bundle's layer dependency names a codename (the
   * item's identity in the cloud), which the known layer bundles link to a catalog folder; a
   * folder no known bundle claims goes by its own name.
   */
  codenames: z.record(z.string(), z.array(z.string())).optional(),
  /** Services and deployment bundles whose configs were read (recent services + workspace). */
  consumers: z.object({ services: z.number().int(), bundles: z.number().int() }),
  /**
   * Files of the library that are not layer images, configs that could not be read, and
   * bundle dependencies whose codename names no catalog layer (at their line, column and field).
   */
  problems: z.array(z.object({ file: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional(), field: z.string().optional() })),
});
/** Which catalog version: uid, version and architecture (os defaults to linux). */
const catalogVersionRef = {
  library: fsPath,
  /** The workspace folder whose services and bundles count as dependants (besides recent services). */
  workspace: fsPath.optional(),
  uid: z.string().min(1).max(255),
  version: z.string().min(1).max(255),
  architecture: z.string().min(1).max(32),
  os: z.string().min(1).max(32).optional(),
};
/** What removing a version would do: refused (with dependants) or the files it deletes. */
export const layerRemovalPlan = z.object({
  allowed: z.boolean(),
  /** Why refused, or what will happen, in words. */
  message: z.string(),
  dependants: z.array(layerDependant),
  /** Absolute paths of every file the removal deletes (the confirmation names these). */
  files: z.array(z.string()),
  /** True when it is the layer's last version: `<library>/<uid>` goes too. */
  removesLayer: z.boolean(),
  layerFolder: z.string(),
});
const layerLibraryFact = z.object({
  name: z.string(),
  version: z.string(),
  kind: z.enum(['dpkg', 'opkg', 'python-dist-info', 'python-egg-info', 'npm', 'shared-library']),
  source: z.string(),
  license: z.string().optional(),
  architecture: z.string().optional(),
  soname: z.string().optional(),
});
/** One entry of the layer's tar (or folder), for the Files tree. */
export const layerFileEntry = z.object({
  path: z.string(),
  type: z.string(),
  size: z.number(),
  linkpath: z.string().optional(),
});
/** What inspectLayer reports (core/layers/inspect/types.ts), with the entry list for the Files tab. */
export const layerInspection = z.object({
  source: z.string(),
  form: z.enum(['oci-layer', 'legacy', 'folder']),
  mediaType: z.string().optional(),
  digest: z.string().optional(),
  size: z.number().optional(),
  diffId: z.string().optional(),
  tarSize: z.number().optional(),
  platform: z.object({
    os: z.string().optional(),
    architecture: z.string().optional(),
    version: z.string().optional(),
    osVersion: z.string().optional(),
    declaredOsFeatures: z.array(z.string()).optional(),
    from: z.enum(['file-name', 'metadata.json']),
  }).optional(),
  layerId: z.string().optional(),
  parent: z.object({ id: z.string().optional(), digest: z.string().optional() }).optional(),
  files: z.object({
    count: z.number(),
    bytes: z.number(),
    folders: z.array(z.object({ name: z.string(), files: z.number(), bytes: z.number(), directories: z.number(), symlinks: z.number(), other: z.number() })),
  }),
  whiteouts: z.array(z.object({ path: z.string(), hides: z.string(), kind: z.enum(['whiteout', 'opaque', 'overlayfs-device']) })),
  whiteoutsTruncated: z.boolean(),
  libraries: z.array(layerLibraryFact),
  librariesTruncated: z.boolean(),
  osRelease: z.object({ id: z.string().optional(), versionId: z.string().optional(), source: z.string() }).optional(),
  osFeatures: z.array(z.string()),
  problems: z.array(z.string()),
  /** Every entry in archive order (capped; entriesTruncated says so). */
  entries: z.array(layerFileEntry).optional(),
  entriesTruncated: z.boolean().optional(),
});
/** The 'job.done' value of 'layers.sbom'. */
export const layerSbomResult = z.object({
  path: z.string(),
  format: z.enum(['cyclonedx', 'spdx']),
  digest: z.string(),
  components: z.number().int(),
});

const empty = z.object({}).strict();

/** The 'job.done' value of 'preview.export'. */
export const exportResult = z.object({
  outDir: z.string(),
  target: z.enum(['v8', 'v9']),
  written: z.array(z.string()),
  warnings: z.array(previewWarning),
  /** Files of the layer library that are not layer images. */
  layerProblems: z.array(z.object({ file: z.string(), message: z.string() })),
});

/** A 'job.progress' event without its job id. */
export const jobProgress = z.object({
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  filesDone: z.number().optional(),
  filesTotal: z.number().optional(),
  /** Bytes per second, where main measures it (uploads: the bytes the cloud took). */
  rate: z.number().optional(),
  /** Estimated seconds left, once a rate is known. */
  secondsLeft: z.number().optional(),
  /** A line for people about this step (an upload's state change, the cloud's build_info). */
  message: z.string().max(4000).optional(),
});

/** What 'job.status' answers: a job's state now, so a missed event never leaves a caller waiting. */
export const jobStatus = z.object({
  /** 'unknown': never started here, or finished long enough ago to be forgotten. */
  state: z.enum(['running', 'done', 'failed', 'cancelled', 'unknown']),
  /** The channel that started the job (its result follows that channel's result schema). */
  channel: z.string().optional(),
  /** The last progress reported (running jobs). */
  progress: jobProgress.optional(),
  /** The job's value (state 'done'), already checked against the channel's result schema. */
  result: z.unknown().optional(),
  /** Why it failed or that it was cancelled. */
  error: appErrorSchema.optional(),
});

/** What changed on disk in an open service (see 'service.watch'). */
export const serviceChange = z.object({
  /** 'config': meta/config.yaml's content; 'meta': other files in meta/ (credentials); 'src': the source folder. */
  kind: z.enum(['config', 'src', 'meta']),
  /** Relative to the source folder ('src') or names in meta/ ('meta', 'config'); a bounded sample. */
  paths: z.array(z.string()),
});

/** App-wide preferences, kept by main in the user's config folder (Electron and browser mode alike). */
export const appSettings = z.object({
  theme: z.enum(['auto', 'light', 'dark']),
  /** The preview's output tab (v8 archive layout or v9 OCI image layout). */
  previewTarget: z.enum(['v8', 'v9']),
  /** The layer library folder the preview resolves required layers against ('' for none). */
  layerLibrary: z.string().max(4096),
  /** The folder the Layers screen searches for services and deployment bundles that use catalog layers (absent or '' for none). */
  layerWorkspace: z.string().max(4096).optional(),
  /**
   * The cloud uploads go to: url `https://HOST:PORT` overrides the address from the bundle's
   * config and certificate (on-premise and test clouds), caFile the certificate authority the
   * server is checked against (else the system's). Like `aos-bundle upload --cloud --ca`.
   * Both are checked in main before they are saved (a URL of https://HOST:PORT, a readable PEM).
   */
  cloud: z
    .object({ url: z.string().max(2048).optional(), caFile: z.string().max(4096).optional() })
    .strict()
    .optional(),
  /** The folder each picker last chose, by what it was for: the next pick starts there. */
  lastFolders: z
    .object({
      export: z.string().max(4096).optional(),
      newService: z.string().max(4096).optional(),
      verify: z.string().max(4096).optional(),
      /** Where "Open service" last found a service (the folder holding it). */
      open: z.string().max(4096).optional(),
      /** Where the sign step's "Save as…" last put a bundle. */
      signOutput: z.string().max(4096).optional(),
      /** Where a certificate was last picked (the wizard's, the verify check's). */
      certificate: z.string().max(4096).optional(),
      /** Where the Layers screen last picked a library, a workspace, a layer to inspect, an SBOM's destination. */
      layerLibrary: z.string().max(4096).optional(),
      layerWorkspace: z.string().max(4096).optional(),
      layerInspect: z.string().max(4096).optional(),
      sbom: z.string().max(4096).optional(),
    })
    .strict()
    .optional(),
});

/** The states of an outbox entry (outbox.ts): queued → uploading → uploaded → processing → done | failed. */
export const outboxState = z.enum(OUTBOX_STATES);

/** One bundle in the outbox, as the app shows it (no credentials, no secrets). */
export const outboxEntryView = z.object({
  id: z.string(),
  /** The signed file it was made from. */
  source: z.string(),
  sha256: z.string(),
  size: z.number(),
  /** service: a v1 service version; deployment: a v2 deployment bundle. */
  kind: folderKind,
  /** deployment: its items' types (identity.type), which say whose upload it is. */
  itemTypes: z.array(z.string()).optional(),
  /** What it is, in words ("service 0a1b… version 1.0.0"). */
  what: z.string(),
  state: outboxState,
  /** Its upload was cancelled by the user: the automatic push leaves it until it is pushed again. */
  held: z.boolean().optional(),
  /** Left 'uploading' by a process that stopped mid-upload: nothing sends it now; a push sends it again. */
  interrupted: z.boolean().optional(),
  /** v2: the deployment bundle's id in the cloud. */
  remoteId: z.union([z.string(), z.number()]).optional(),
  /** The `https://HOST:PORT` override it goes to, if one was given (else the config's domain). */
  cloud: z.string().optional(),
  /**
   * The credential files it is sent with (paths only, as WhoamiView.credentials words them): its
   * role badge shows what the cloud said of these, not of another certificate checked.
   */
  credentials: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(z.object({ at: z.string(), state: outboxState, message: z.string() })),
});

/** Why the cloud (or the way to it) refused an upload: every message, not only the first. */
export const cloudFailureView = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** The HTTP status when the cloud answered. */
  status: z.number().int().optional(),
  /** Every field → message of the cloud's answer ("version: already exists"), or its text. */
  fields: z.array(z.string()),
});

/** The 'job.done' value of 'cloud.upload'. */
export const uploadResult = z.object({
  entry: outboxEntryView,
  /** The last step in words. */
  message: z.string(),
  /** The cloud already had this bundle (422 "already exists", or an interrupted upload found there). */
  alreadyThere: z.boolean(),
  /** v2: the cloud's build_info once processing ended, in words. */
  buildInfo: z.string().optional(),
  /** Present when the upload did not end done/uploaded/processing: refused (entry failed) or not reached (entry queued again). */
  failure: cloudFailureView.optional(),
});

const outboxId = z.string().regex(/^[0-9a-f]{16}$/);

/** What users/me says of the certificate, and which cloud said it. */
export const whoamiResult = z.object({
  username: z.string().optional(),
  email: z.string().optional(),
  /** As the cloud spells it: oem | service provider | fleet owner. */
  role: z.string().optional(),
  /** The cloud's host (the domain) and the base URL asked. */
  host: z.string(),
  base: z.string(),
  /** Where the address came from: the app's setting, config.yaml, the certificate's O, or the default. */
  source: z.enum(['override', 'config', 'certificate', 'default']),
  /** The credential file(s) used. */
  credentials: z.string(),
});

/** The automatic push: idle, pushing, waiting for the cloud (next check), or a password needed. */
export const autoPushStatus = z.object({
  state: z.enum(['idle', 'pushing', 'waiting', 'needs-password']),
  message: z.string(),
  nextCheckAt: z.string().optional(),
  checks: z.number().optional(),
});

export const outboxListing = z.object({ dir: z.string(), entries: z.array(outboxEntryView), auto: autoPushStatus });

export const outboxPushResult = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      state: outboxState,
      message: z.string(),
      alreadyThere: z.boolean().optional(),
      skipped: z.boolean().optional(),
      /** Why a skipped entry was not sent, in words (another process pushes it, or the cloud refused its role and nothing changed since). */
      skipReason: z.string().optional(),
      error: appErrorSchema.optional(),
    }),
  ),
});

export const contract = {
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      platform: z.string(),
      homeDir: z.string(),
      cwd: z.string(),
    }),
  },
  'recent.list': { input: empty, output: z.array(recentService) },
  /** Forgets one entry of Recent services (the folder itself is untouched); answers the list left. */
  'recent.remove': { input: z.object({ root: z.string().min(1).max(4096) }).strict(), output: z.array(recentService) },
  'service.init': {
    input: z.object({
      dir: fsPath,
      name: z.string().max(200).optional(),
      cmd: z.string().max(4096).optional(),
      workingDir: z.string().max(4096).optional(),
      arch: z.string().max(64).optional(),
      /** The user's .p12, named in the config (by file name when it lies in meta/ or ~/.aos/security/). */
      pkcs12Path: fsPath.optional(),
    }).strict(),
    output: z.object({ root: z.string(), created: z.array(z.string()) }),
  },
  'service.open': { input: z.object({ dir: fsPath }).strict(), output: serviceSnapshot },
  /** Full validation with the checks that need the filesystem (credential and state files). */
  'config.validate': {
    input: z.object({ root: fsPath, text: z.string().max(4_000_000) }).strict(),
    output: z.object({ diagnostics: z.array(diagnostic) }),
  },
  'config.save': {
    input: z.object({
      root: fsPath,
      text: z.string().max(4_000_000),
      /** mtime the renderer read; a different mtime on disk means someone else changed the file. */
      expectedMtimeMs: z.number().optional(),
      force: z.boolean().optional(),
    }).strict(),
    output: z.object({ configMtimeMs: z.number(), diagnostics: z.array(diagnostic) }),
  },
  'src.list': { input: z.object({ root: fsPath }).strict(), output: srcListing },
  /**
   * Watches an open service folder: its source folder, meta/ and config.yaml. Changes come
   * as 'service.changed' events naming the watchId; config.yaml counts as changed only when
   * its content differs from what the app last read or saved. Stopped by 'service.unwatch',
   * or when the window closes / the server stops.
   */
  /* A deployment bundle (config.yaml with schemaVersion 2) is watched whole: 'config' for its config.yaml, 'meta' for other files at its root, 'src' for every file below it (the referenced images). */
  'service.watch': { input: z.object({ root: fsPath }).strict(), output: z.object({ watchId: z.string() }) },
  'service.unwatch': { input: z.object({ watchId: z.string().min(1).max(100) }).strict(), output: z.object({ stopped: z.boolean() }) },
  'src.addFiles': {
    input: z.object({
      root: fsPath,
      /** Folder inside src/ to add into ('' for src/ itself). */
      dir: z.string().max(4096),
      files: z.array(z.object({
        /** Relative path under `dir` (may contain folders, from a dropped folder). */
        path: z.string().min(1).max(4096),
        contentBase64: z.string(),
        executable: z.boolean().optional(),
      })).max(10_000),
    }).strict(),
    output: z.object({ added: z.array(z.string()), listing: srcListing }),
  },
  'src.copyIn': {
    input: z.object({ root: fsPath, dir: z.string().max(4096), sources: z.array(fsPath).min(1).max(1000) }).strict(),
    output: z.object({ added: z.array(z.string()), listing: srcListing }),
  },
  'src.mkdir': {
    input: z.object({ root: fsPath, path: z.string().min(1).max(4096) }).strict(),
    output: srcListing,
  },
  /** Renames or moves an entry inside src/ (drag onto a folder moves it); never overwrites. */
  'src.rename': {
    input: z.object({ root: fsPath, from: z.string().min(1).max(4096), to: z.string().min(1).max(4096) }).strict(),
    output: z.object({ path: z.string(), listing: srcListing }),
  },
  /**
   * Deletes an entry of src/: 'trash' (the desktop app: the system trash) or 'permanent'
   * (browser mode, after the renderer said so). 'trash' without a trash is 'unsupported'.
   */
  'src.delete': {
    input: z.object({ root: fsPath, path: z.string().min(1).max(4096), mode: z.enum(['trash', 'permanent']) }).strict(),
    output: z.object({ trashed: z.boolean(), listing: srcListing }),
  },
  /** Creates an empty file inside src/ (folders made as needed); refuses an existing name. */
  'src.newFile': {
    input: z.object({ root: fsPath, path: z.string().min(1).max(4096) }).strict(),
    output: z.object({ path: z.string(), listing: srcListing }),
  },
  /** The in-app folder browser's New folder: one empty folder named `name` directly in `parent` (an existing folder). */
  'fs.mkdir': {
    input: z.object({ parent: fsPath, name: z.string().min(1).max(255) }).strict(),
    output: z.object({ path: z.string() }),
  },
  'fs.browse': {
    input: z.object({ path: z.string().max(4096).optional(), showFiles: z.boolean().optional(), extensions: z.array(z.string()).optional() }).strict(),
    output: z.object({
      path: z.string(),
      parent: z.string().nullable(),
      entries: z.array(z.object({ name: z.string(), kind: z.enum(['directory', 'file']), isService: z.boolean() })),
    }),
  },
  /** Native dialogs: Electron only. In browser mode they fail with 'unsupported' and the renderer uses fs.browse. */
  'dialog.openFolder': {
    input: z.object({ title: z.string().max(200).optional(), defaultPath: z.string().optional() }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  'dialog.openFiles': {
    input: z.object({
      title: z.string().max(200).optional(),
      extensions: z.array(z.string()).optional(),
      multiple: z.boolean().optional(),
      folders: z.boolean().optional(),
      /** The folder the dialog starts in (absolute; others are ignored). */
      defaultPath: z.string().max(4096).optional(),
    }).strict(),
    output: z.object({ paths: z.array(z.string()) }),
  },
  /**
   * Native save dialog: Electron only ('unsupported' in browser mode). Besides the path,
   * main answers an opaque grant that lets 'bundle.sign' write to that one path outside
   * the service folder (main keeps the grants; the renderer cannot make one up).
   */
  'dialog.saveFile': {
    input: z.object({
      title: z.string().max(200).optional(),
      defaultPath: z.string().max(4096).optional(),
      extensions: z.array(z.string().max(32)).max(20).optional(),
    }).strict(),
    output: z.object({ path: z.string().nullable(), grant: z.string().nullable() }),
  },
  'credentials.describe': {
    input: z.object({ path: fsPath, password: z.string().max(1024).optional() }).strict(),
    output: certificateSummary,
  },
  'shell.showInFolder': { input: z.object({ path: fsPath }).strict(), output: z.object({}) },

  // --- Signing and checking bundles (service-bundle.md §3-4) ---
  /**
   * The certificate the service's config names, for the Sign step's card. `configText` is the
   * config as the editor holds it (unsaved edits included); without it, config.yaml on disk.
   */
  'credentials.forService': {
    input: z.object({ root: fsPath, password: secret.optional(), configText: z.string().max(4_000_000).optional() }).strict(),
    output: z.object({ file: z.string(), summary: certificateSummary }),
  },
  /**
   * Starts signing as a job; progress comes as 'job.progress', the SignResult as 'job.done'.
   * The output (outFile, default <build.package_folder>/service.tar.gz) must lie inside the
   * service folder, unless outGrant is the grant 'dialog.saveFile' returned for outFile.
   */
  'bundle.sign': {
    input: z.object({ root: fsPath, outFile: fsPath.optional(), outGrant: z.string().min(1).max(100).optional(), password: secret.optional() }).strict(),
    output: jobStarted,
    result: signResult,
  },
  'bundle.verify': {
    input: z.object({ path: fsPath, certPath: fsPath.optional(), password: secret.optional() }).strict(),
    output: verifyReport,
  },
  'bundle.inspect': { input: z.object({ path: fsPath }).strict(), output: inspectReport },
  'job.cancel': { input: z.object({ jobId: z.string().min(1).max(100) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** A job's state, progress and outcome by id; finished jobs are remembered for a while (the last 50, 10 minutes). */
  'job.status': { input: z.object({ jobId: z.string().min(1).max(100) }).strict(), output: jobStatus },
  'settings.get': { input: empty, output: appSettings },
  /** Changes some settings; answers with all of them. */
  'settings.set': { input: appSettings.partial().strict(), output: appSettings },

  // --- The cloud and the outbox (issue 11; service-bundle.md §4–5, deployment-bundle.md §4–5) ---
  /**
   * users/me with the credentials the folder's config names (a service or a deployment
   * bundle), or the chosen files; the app's cloud settings apply. A protected key answers
   * 'wrong-password' until its password comes; it is then kept opened in main for the session.
   */
  'cloud.whoami': {
    input: z
      .object({ root: fsPath.optional(), pkcs12Path: fsPath.optional(), keyPath: fsPath.optional(), certPath: fsPath.optional(), password: secret.optional() })
      .strict(),
    output: whoamiResult,
  },
  /** Every entry (oldest first) and what the automatic push is doing. */
  'outbox.list': { input: empty, output: outboxListing },
  /** Pushes the given entries (default: all waiting) as a job: progress in bytes, cancellable (the entry goes back to the queue). */
  'outbox.push': {
    input: z.object({ ids: z.array(outboxId).max(1000).optional(), password: secret.optional() }).strict(),
    output: jobStarted,
    result: outboxPushResult,
  },
  /** A failed entry back to the queue. */
  'outbox.retry': { input: z.object({ id: outboxId }).strict(), output: outboxEntryView },
  /** Removes a done entry; any other needs `confirmed` (the user said yes to losing it), else 'conflict'. */
  'outbox.remove': { input: z.object({ id: outboxId, confirmed: z.boolean().optional() }).strict(), output: z.object({ removed: z.string() }) },

  // --- Deployment bundles, schemaVersion 2 (deployment-bundle.md) ---
  /** Which kind of bundle a folder holds; 'none' with a message saying what is missing. */
  'folder.detect': {
    input: z.object({ dir: fsPath }).strict(),
    output: z.object({ kind: z.enum(['service', 'deployment', 'none']), root: z.string(), message: z.string() }),
  },
  /**
   * Creates a deployment bundle: copies each image from outside the folder to its path inside
   * (never over an existing file), then writes config.yaml (the wizard's text). Refuses a
   * folder that already has a config.yaml. Nothing is left half-made when a step fails.
   */
  'deployment.create': {
    input: z.object({
      dir: fsPath,
      text: z.string().max(4_000_000),
      /** Image files to bring into the bundle: `from` anywhere, `to` relative to the bundle root. */
      copies: z.array(z.object({ from: fsPath, to: z.string().min(1).max(4096) }).strict()).max(256),
    }).strict(),
    output: z.object({ root: z.string(), created: z.array(z.string()) }),
  },
  'deployment.open': { input: z.object({ dir: fsPath }).strict(), output: deploymentSnapshot },
  /** Every rule of deployment-bundle.md §2, with the checks that need the folder (paths, image contents). */
  'deployment.validate': {
    input: z.object({ root: fsPath, text: z.string().max(4_000_000) }).strict(),
    output: z.object({ diagnostics: z.array(diagnostic) }),
  },
  'deployment.save': {
    input: z.object({ root: fsPath, text: z.string().max(4_000_000), expectedMtimeMs: z.number().optional(), force: z.boolean().optional() }).strict(),
    output: z.object({ configMtimeMs: z.number(), diagnostics: z.array(diagnostic) }),
  },
  /** What signing packs and leaves out, as config.yaml on disk says (the listing signing itself follows). */
  'deployment.contents': { input: z.object({ root: fsPath }).strict(), output: batchContents },
  /** The certificate publish.tlsKey names, for the Sign drawer (configText: the editor's text). */
  'credentials.forDeployment': {
    input: z.object({ root: fsPath, password: secret.optional(), configText: z.string().max(4_000_000).optional() }).strict(),
    output: z.object({ file: z.string(), summary: certificateSummary }),
  },
  /**
   * Signs batch.tar.gz as a job, like 'bundle.sign': progress as 'job.progress', the SignResult
   * as 'job.done'. Default output <bundle>/batch.tar.gz (a later sign never packs it); outFile
   * must lie inside the bundle folder unless outGrant is the grant 'dialog.saveFile' gave for it.
   */
  'deployment.sign': {
    input: z.object({ root: fsPath, outFile: fsPath.optional(), outGrant: z.string().min(1).max(100).optional(), password: secret.optional() }).strict(),
    output: jobStarted,
    result: signResult,
  },
  /**
   * What the cloud and a unit derive from each image of the bundle on disk (`aos-bundle
   * preview` in a bundle folder): OCI descriptors, as a job (it reads every image).
   */
  'deployment.preview': {
    input: z.object({ root: fsPath }).strict(),
    output: jobStarted,
    result: deploymentPreview,
  },

  // --- Upload to the cloud over mutual TLS (service-bundle.md §4–5, deployment-bundle.md §4–5) ---
  /**
   * Uploads a signed bundle as a job, through the outbox (the use-case `aos-bundle upload`
   * runs): the bundle's own config gives the endpoint and the TLS credentials. Progress comes
   * as 'job.progress': phase 'uploading' with done/total bytes, rate and secondsLeft; then a
   * phase per state change (uploaded, processing, done, failed) with its message. A v2 bundle
   * is followed through processing unless follow is false. The result says how it ended: a
   * refusal fails the entry with every field message; a network failure queues it again.
   * A protected PKCS#12's password is given once (after a 'wrong-password' failure): main
   * keeps the opened key for the session, never the password.
   */
  'cloud.upload': {
    input: z
      .object({
        /** The signed service.tar.gz or batch.tar.gz. */
        path: fsPath,
        /** The service or deployment bundle folder it was signed from (relative credential paths of its config). */
        root: fsPath.optional(),
        /** `https://HOST:PORT`, overriding the address from config and certificate (the app's cloud setting). */
        cloud: z.string().min(1).max(2048).optional(),
        /** The certificate authority the cloud's server certificate is checked against (else the system's). */
        caFile: fsPath.optional(),
        password: secret.optional(),
        follow: z.boolean().optional(),
      })
      .strict(),
    output: jobStarted,
    result: uploadResult,
  },
  /** Puts a signed bundle in the outbox without sending it (the sign step's "Queue"); same input as 'cloud.upload'. */
  'outbox.add': {
    input: z
      .object({ path: fsPath, root: fsPath.optional(), cloud: z.string().min(1).max(2048).optional(), caFile: fsPath.optional() })
      .strict(),
    output: outboxEntryView,
  },

  // --- The OCI output the cloud and the unit derive (oci-output.md) ---
  /** Pure and fast: runs on every keystroke with the editor's text; uses the last rootfs layer computed. */
  'preview.build': {
    input: z.object({ root: fsPath, text: z.string().max(4_000_000), node: nodeParams.optional(), layerLibrary: fsPath.optional() }).strict(),
    output: ociPreview,
  },
  /** Computes the service rootfs layer's digests in the background (a job; 'job.done' carries rootfsLayer). */
  'preview.rootfs': { input: z.object({ root: fsPath }).strict(), output: jobStarted, result: rootfsLayer },
  /**
   * Scans a layer library (`<dir>/<uid>/<os>-<arch>-<version>.tar.gz`) as a job; 'job.done'
   * carries { dir, layers, versions, problems }. Later 'preview.build' calls naming the same
   * folder as layerLibrary resolve configuration.layers against it (never scanning themselves).
   */
  'layers.scan': { input: z.object({ dir: fsPath }).strict(), output: jobStarted, result: layerLibraryScan },
  /**
   * A layer pack's dry run as a job (packLayer with dryRun, as `aos-bundle layer pack
   * --dry-run`): 'job.done' carries the added, changed and deleted paths with sizes. Writes nothing.
   */
  'layers.plan': { input: z.object(layerPackInput).strict(), output: jobStarted, result: layerPlanView },
  /**
   * Packs a layer image from a rootfs minus its parents (a job, the use-case of `aos-bundle
   * layer pack`): `<outDir>/<os>-<arch>-<version>.tar.gz` and its `<os>-<arch>-<version>.layer.json`. Progress as
   * 'job.progress' (phases parents, compare, pack); cancel or failure leaves no file.
   */
  'layers.pack': { input: z.object(layerPackInput).strict(), output: jobStarted, result: packedLayerView },
  /**
   * The layer catalog as a job: the library's layer images by uid (file names only, nothing
   * hashed), and for each version how many known services (recent services + the workspace's
   * `<folder>/meta/config.yaml`) and deployment bundles (`config.yaml`, schemaVersion 2) select it
   * today: the highest matching version for their architecture (the app's assumption, layers.md §3).
   */
  'layers.catalog': { input: z.object({ library: fsPath, workspace: fsPath.optional() }).strict(), output: jobStarted, result: layerCatalog },
  /** The services and bundle items that select one catalog version today. */
  'layers.dependants': { input: z.object(catalogVersionRef).strict(), output: z.object({ dependants: z.array(layerDependant) }) },
  /**
   * Inspects a catalog version's file or ANY layer image file or folder (a job; cached by
   * path, size and mtime): libraries with the source of each fact, OS features, whiteouts,
   * and every entry (capped) for the Files tree.
   */
  'layers.inspect': { input: z.object({ path: fsPath }).strict(), output: jobStarted, result: layerInspection },
  /** The cloud's check before deleting a layer version (deployment-bundle.md §5): refused with dependants, or the files to delete. Deletes nothing. */
  'layers.removePlan': { input: z.object(catalogVersionRef).strict(), output: layerRemovalPlan },
  /**
   * Deletes a catalog version after confirmation: `confirmedFiles` must be exactly the plan's
   * files as computed now (else 'conflict', nothing deleted); refused ('conflict') when a
   * dependant selects it. The last version takes the layer folder with it.
   */
  'layers.remove': {
    input: z.object({ ...catalogVersionRef, confirmedFiles: z.array(fsPath).min(1).max(10_000) }).strict(),
    output: z.object({ removed: z.array(z.string()), removedLayer: z.boolean() }),
  },
  /**
   * Writes a layer image's SBOM (CycloneDX 1.6 or SPDX 2.3 JSON) to outFile atomically, as a job.
   * outFile must not exist yet ('exists') unless outGrant is the grant 'dialog.saveFile' returned for it.
   */
  'layers.sbom': {
    input: z.object({ path: fsPath, format: z.enum(['cyclonedx', 'spdx']), outFile: fsPath, outGrant: z.string().min(1).max(100).optional() }).strict(),
    output: jobStarted,
    result: layerSbomResult,
  },
  /**
   * Copies a layer image into the catalog as `<library>/<uid>/<its file name>` (the name must be
   * `<os>-<arch>-<version>.tar.gz`); never over an existing file; written to a temp file and renamed.
   */
  'layers.add': {
    input: z.object({ library: fsPath, uid: z.string().min(1).max(255), file: fsPath }).strict(),
    output: z.object({ file: z.string() }),
  },
  /**
   * Writes the v8 archive layout or the v9 OCI image layout into a new or empty folder (a job),
   * exactly as `aos-bundle preview --out` does (one use-case in main). With layerLibrary,
   * configuration.layers resolve against that folder and v9 holds their blobs.
   */
  'preview.export': {
    input: z.object({ root: fsPath, target: z.enum(['v8', 'v9']), outDir: fsPath, node: nodeParams.optional(), layerLibrary: fsPath.optional() }).strict(),
    output: jobStarted,
    result: exportResult,
  },
} as const;

/** Events main pushes to the renderer (progress of long jobs). */
export const events = {
  'job.progress': jobProgress.extend({ jobId: z.string() }),
  /**
   * A job ended: its result (ok) or its error. The value has passed the starting channel's
   * result schema in main; clients read it typed as JobDone<C> / JobResult<C>.
   */
  'job.done': z.object({ jobId: z.string(), ok: z.boolean(), value: z.unknown().optional(), error: appErrorSchema.optional() }),
  /** Files of a watched service changed on disk ('service.watch'); one event per burst. */
  'service.changed': z.object({ watchId: z.string(), root: z.string(), changes: z.array(serviceChange) }),
  /**
   * An outbox entry moved in one of the app's pushes (the automatic push or Push now): its new
   * state and history, and while it uploads the bytes handed to the connection so far (sent:
   * not yet what the cloud has read). Another process's push (the CLI) shows in outbox.list only.
   */
  'outbox.changed': z.object({
    entry: outboxEntryView,
    progress: z.object({ sent: z.number().nonnegative(), total: z.number().nonnegative(), rate: z.number().nonnegative().optional(), secondsLeft: z.number().nonnegative().optional() }).strict().optional(),
  }),
  /** An application-menu command (File > New service / Open service / Save); Electron only. */
  'menu.command': z.object({ command: z.enum(['new', 'open', 'save']) }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;
/** Input after validation (defaults applied), as handlers receive it. */
export type ValidInput<C extends Channel> = z.output<Contract[C]['input']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** The channels that start a job: they answer { jobId } and declare the schema of their 'job.done' value. */
export type JobChannel = { [C in Channel]: Contract[C] extends { result: z.ZodType } ? C : never }[Channel];
/** The value a job started on channel C ends with. */
export type JobResult<C extends JobChannel> = z.output<Contract[C]['result']>;
/** 'job.done' as seen by whoever started a job on channel C. */
export type JobDone<C extends JobChannel> =
  | { jobId: string; ok: true; value: JobResult<C> }
  | { jobId: string; ok: false; error: AppError };
export type JobStatus = z.output<typeof jobStatus>;
export type JobProgressView = z.output<typeof jobProgress>;
export type AppSettings = z.output<typeof appSettings>;
export type ServiceChangeView = z.output<typeof serviceChange>;

export const channels = Object.keys(contract) as Channel[];
export const jobChannels = channels.filter((c): c is JobChannel => 'result' in contract[c]);

export function isJobChannel(name: unknown): name is JobChannel {
  return isChannel(name) && 'result' in contract[name];
}

/** Checks a job's value against its channel's result schema. */
export function parseJobResult<C extends JobChannel>(channel: C, value: unknown): Result<JobResult<C>> {
  const parsed = contract[channel].result.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as JobResult<C> };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, error: { code: 'internal', message: `The ${channel} job result did not match the contract${where}: ${issue?.message ?? 'rejected'}` } };
}
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the preload (Electron) and the HTTP bridge (browser mode) both expose as `window.api`. */
export interface Api {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Where a dropped File lives on disk. Electron only (webUtils.getPathForFile); a browser
   * never tells, so browser mode leaves it out.
   */
  pathForFile?(file: File): string | null;
  /** Browser mode only: whether the server still answers (Electron's main cannot go away under its window). */
  connection?: ConnectionMonitor;
}

export type ConnectionState = 'connected' | 'lost';

export interface ConnectionMonitor {
  state(): ConnectionState;
  /** Called on every change; answers the unsubscribe. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
  /** Asks the server once; true (and 'connected') when it answers. */
  retry(): Promise<boolean>;
}

export type Diagnostic = z.output<typeof diagnostic>;
export type SrcEntry = z.output<typeof srcEntry>;
export type SrcListing = z.output<typeof srcListing>;
export type ServiceSnapshot = z.output<typeof serviceSnapshot>;
export type CertificateSummary = z.output<typeof certificateSummary>;
export type RecentService = z.output<typeof recentService>;
export type FolderKind = z.output<typeof folderKind>;
export type DeploymentSnapshot = z.output<typeof deploymentSnapshot>;
export type BatchContents = z.output<typeof batchContents>;
export type SignResult = z.output<typeof signResult>;
export type VerifyReport = z.output<typeof verifyReport>;
export type InspectReport = z.output<typeof inspectReport>;
export type NodeParams = z.output<typeof nodeParams>;
export type OciPreviewView = z.output<typeof ociPreview>;
export type RootfsLayerView = z.output<typeof rootfsLayer>;
export type LayerLibraryScanView = z.output<typeof layerLibraryScan>;
export type ExportResultView = z.output<typeof exportResult>;
export type LayerPlanView = z.output<typeof layerPlanView>;
export type PackedLayerView = z.output<typeof packedLayerView>;
export type CatalogVersionView = z.output<typeof catalogVersion>;
export type CatalogLayerView = z.output<typeof catalogLayer>;
export type LayerCatalogView = z.output<typeof layerCatalog>;
export type LayerDependantView = z.output<typeof layerDependant>;
export type LayerRemovalPlanView = z.output<typeof layerRemovalPlan>;
export type LayerInspectionView = z.output<typeof layerInspection>;
export type LayerFileEntryView = z.output<typeof layerFileEntry>;
export type LayerSbomResultView = z.output<typeof layerSbomResult>;
export type OutboxStateView = z.output<typeof outboxState>;
export type OutboxEntryView = z.output<typeof outboxEntryView>;
export type CloudFailureView = z.output<typeof cloudFailureView>;
export type UploadResult = z.output<typeof uploadResult>;
export type WhoamiView = z.output<typeof whoamiResult>;
export type OutboxListing = z.output<typeof outboxListing>;
export type AutoPushView = z.output<typeof autoPushStatus>;
export type OutboxPushView = z.output<typeof outboxPushResult>;
export type { AppError, Result };

/** Validates a call's input; the error names the offending field. */
export function parseInput<C extends Channel>(channel: C, input: unknown): Result<ValidInput<C>> {
  const parsed = contract[channel].input.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ValidInput<C> };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return {
    ok: false,
    error: { code: 'invalid-input', message: `Invalid input for ${channel}${where}: ${issue?.message ?? 'rejected'}` },
  };
}
