// The commented `config.yaml` template of a deployment bundle (`aos-bundle init --bundle`,
// the wizard's last step): the v2 counterpart of the service template. Every value goes
// through the same scalar writer as edits, so an odd codename or file name is quoted
// instead of breaking the YAML; optional keys are shown as comments.
import { renderScalar } from '../config-common/render';
import { LAYER_MEDIA_TYPE, COMPONENT_MEDIA_TYPES, type ItemType } from './schema';

export interface DeploymentTemplateImage {
  architecture: string;
  variant?: string;
  /** Default linux. */
  os?: string;
  osVersion?: string;
  /** A prepared file (layers, components), relative to the bundle folder. */
  path?: string;
  /** A folder (a service's rootfs), relative to the bundle folder. */
  sourceFolder?: string;
}

export interface DeploymentTemplateOptions {
  /** Default 'layer' (the OEM engineer's first bundle). */
  type?: ItemType;
  /** Default 'my-layer' / 'my-service' / 'my-component'. */
  codename?: string;
  title?: string;
  description?: string;
  /** Strict SemVer; default 1.0.0. */
  version?: string;
  /** PKCS#12 for mutual TLS and signing; default aos-user-oem.p12 (aos-user-sp.p12 for a service). */
  tlsKey?: string;
  domain?: string;
  author?: string;
  company?: string;
  /** Default: one amd64 image at `<codename>/linux-amd64-<version>.tar.gz` (a folder `<codename>/amd64` for a service). */
  images?: readonly DeploymentTemplateImage[];
  /** e.g. a parent layer: {type: 'layer', codename: 'base-python', versions: '>=1.0.0 <2.0.0'}. */
  dependencies?: readonly { type: ItemType; codename: string; versions: string }[];
  /** For services: start command and working directory; defaults as the service template. */
  cmd?: string;
  workingDir?: string;
}

const v = (value: string) => renderScalar(value);
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

function defaultImages(type: ItemType, codename: string, version: string): DeploymentTemplateImage[] {
  if (type === 'service') return [{ architecture: 'amd64', sourceFolder: `${codename}/amd64` }];
  if (type === 'component') return [{ architecture: 'arm64', path: `${codename}/${codename}-arm64-${version}.gz` }];
  return [{ architecture: 'amd64', path: `${codename}/linux-amd64-${version}.tar.gz` }];
}

function mediaTypeOf(type: ItemType): string | undefined {
  if (type === 'layer') return LAYER_MEDIA_TYPE;
  if (type === 'component') return COMPONENT_MEDIA_TYPES[0];
  // A service built from a folder carries no media type (spec §2).
  return undefined;
}

function renderImage(type: ItemType, image: DeploymentTemplateImage): string {
  const lines: string[] = [];
  const mediaType = mediaTypeOf(type);
  const arch = image.variant ? `{architecture: ${v(image.architecture)}, variant: ${v(image.variant)}}` : `{architecture: ${v(image.architecture)}}`;
  const os = [`os: ${v(image.os ?? 'linux')}`, ...(image.osVersion ? [`version: ${v(image.osVersion)}`] : [])].join(', ');
  lines.push(mediaType ? `      - mediaType: ${mediaType}` : `      - archInfo: ${arch}`);
  if (mediaType) lines.push(`        archInfo: ${arch}`);
  lines.push(`        osInfo: {${os}}`);
  if (image.sourceFolder !== undefined) lines.push(`        sourceFolder: ${v(image.sourceFolder)}`);
  else lines.push(`        path: ${v(image.path ?? '')}`);
  return lines.join('\n');
}

function renderConfiguration(options: DeploymentTemplateOptions): string {
  const cmd = options.cmd ?? 'python3 -u /usr/bin/services/hello_world.py';
  const workingDir = options.workingDir ?? '/';
  return `    configuration:            # how units run the service
      cmd: ${v(cmd)}
      workingDir: ${v(workingDir)}
      #quotas:                 # sizes are binary here: 128MiB = 128 × 1048576 bytes
      #  cpuLimit: 1000        # DMIPS
      #  ramLimit: 128MiB
      #  storageLimit: 256MiB
      #  stateLimit: 64MiB
      #skipResourceLimits: true   # pre-release versions only (e.g. 1.0.0-beta.1)
      #layers: [base-python]     # layer codenames; their versions go in dependencies
      #env: [NAME=value]
      #exposedPorts: [9000, "8089-8090/tcp"]
      #allowedConnections: ["backend/8080/tcp"]   # <hostname or uuid>/<port[-port]>/<proto>
      #offlineTTL: P1D
`;
}

/** The commented `config.yaml` of a new deployment bundle; parses and validates clean with any valid options. */
export function deploymentTemplate(options: DeploymentTemplateOptions = {}): string {
  const type = options.type ?? 'layer';
  const codename = options.codename ?? `my-${type}`;
  const version = options.version ?? '1.0.0';
  const tlsKey = options.tlsKey ?? (type === 'service' ? 'aos-user-sp.p12' : 'aos-user-oem.p12');
  const images = options.images?.length ? options.images : defaultImages(type, codename, version);

  const publisher =
    options.author || options.company
      ? `publisher:\n${options.author ? `  author: ${v(oneLine(options.author))}\n` : ''}${options.company ? `  company: ${v(oneLine(options.company))}\n` : ''}`
      : `#publisher:                   # who publishes the bundle (informational)\n#  author: Jane Doe\n#  company: Example Motors\n`;

  const identity = [
    `  - identity:`,
    `      type: ${type}               # service | layer | component`,
    `      codename: ${v(codename)}`,
    options.title ? `      title: ${v(oneLine(options.title))}` : `      #title: My ${type}         # optional`,
    options.description ? `      description: ${v(oneLine(options.description))}` : `      #description: ...         # optional`,
  ].join('\n');

  const dependencies = options.dependencies?.length
    ? `    dependencies:             # items this one needs (a parent layer, a layer a service uses)\n${options.dependencies
        .map((d) => `      - identity: {type: ${d.type}, codename: ${v(d.codename)}}\n        versions: ${renderScalar(d.versions, 'QUOTE_DOUBLE')}`)
        .join('\n')}\n`
    : `    #dependencies:            # items this one needs (a parent layer, a layer a service uses)\n    #  - identity: {type: layer, codename: base-python}\n    #    versions: ">=1.0.0 <2.0.0"\n`;

  return `# Deployment bundle (schemaVersion 2): the items signed together into batch.tar.gz.
# Keys shown as comments are optional: remove the leading '#' to use them.
schemaVersion: 2
${publisher}
publish:
  tlsKey: ${v(tlsKey)}        # PKCS#12 used for mutual TLS with the cloud and for signing (required)
  ${options.domain ? `domain: ${v(options.domain)}` : '#domain: aoscloud.io          # else the certificate subject\'s O, else aoscloud.io'}
  #signKey: sign-key.pem      # a separate signing key (optional)

items:
${identity}
    version: ${v(version)}            # strict SemVer 2.0.0: 1.0.0, 1.2.0-rc.1
    #sourceFolder: ${v(codename)}     # item root: image paths are relative to it when set
    images:                   # one per architecture: amd64 | arm64 | arm (+ variant) | any
${images.map((image) => renderImage(type, image)).join('\n')}
${dependencies}${type === 'service' ? renderConfiguration(options) : ''}`;
}
