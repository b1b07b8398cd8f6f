import type { TemplateOptions } from './index';
import { renderScalar } from '../config-common/render';

/** The commented `meta/config.yaml` template `init` writes (every optional key as a comment). */
export function renderServiceConfigTemplate(options: TemplateOptions = {}): string {
  const cmd = options.cmd ?? 'python3 -u /usr/bin/services/hello_world.py';
  const workingDir = options.workingDir ?? '/';
  const arch = options.arch ?? 'x86';
  const pkcs12 = options.pkcs12 ?? 'aos-user-sp.p12';
  const url = options.url ?? 'aoscloud.io';
  // Values are rendered through the same scalar writer as edits, so a cmd such as
  // `echo: hi` or an odd file name is quoted instead of breaking the YAML.
  const v = (s: string) => renderScalar(s);
  const title = options.name ? `Service config of ${options.name.replace(/[\r\n]+/g, ' ')} (AosEdge schema v1).` : 'AosEdge service config (schema v1).';

  return `# ${title}
# Keys shown as comments are optional: remove the leading '#' to use them.
# Reference: https://docs.aosedge.tech/docs/reference/file-formats/service-config

#publisher:                  # who publishes the service (informational)
#    author: Jane Doe
#    company: Example Ltd

# How the service bundle is built and signed.
build:
    os: linux
    arch: ${v(arch)}
    # Signing credential: a PKCS#12 file (next to this file or in ~/.aos/security/; a
    # protected one asks for its password), or the PEM pair sign_key + sign_certificate instead.
    sign_pkcs12: ${v(pkcs12)}
    #sign_key: private_key.pem
    #sign_certificate: sp-client.pem
    symlinks: copy           # copy | delete | raise
    #source_folder: src      # the service's root filesystem
    #package_folder: .       # where service.tar.gz is written

# Where the signed bundle is uploaded.
publish:
    url: ${v(url)}
    service_uid:             # the service id from the cloud's service page (needed to upload)
    tls_pkcs12: ${v(pkcs12)}
    #tls_key: private_key.pem
    #tls_certificate: sp-client.pem
    version: "1.0.0"         # strict SemVer 2.0.0: 1.0.0, 1.2.0-rc.1 (required)

# How units run the service.
configuration:
    cmd: ${v(cmd)}
    workingDir: ${v(workingDir)}

    #state:
    #    filename: state.dat  # in meta/, shipped as default_state.dat
    #    required: false

    #layers:                  # minVersion included, maxVersion excluded; equal means exactly
    #    - uid: aos-pylibs-layer
    #      minVersion: 1.0.0
    #      maxVersion: 2.0.0

    #env:
    #    - LOG_LEVEL=info

    #instances:
    #    minInstances: 1
    #    priority: 0           # 0..1000000000, 0 is the lowest
    #    labels:
    #        - node1Label

    #runParameters:
    #    startInterval: PT5S   # ISO 8601 duration
    #    startBurst: 3
    #    restartInterval: PT1S

    #offlineTTL: P1D           # remove the service after a unit is offline this long
    #downloadTTL: PT12H        # remove it when the download fails for this long

    #isResourceLimits: true    # false only for pre-release versions
    #runner: crun              # runc | crun | runx | xrun
    #runners:
    #    - crun
    #    - runc

    #quotas:                   # sizes: bytes, or k/kb, m/mb, g/gb (decimal), ki (1024)
    #    cpu: 50
    #    mem: 64M              # at least 6 MB for crun and runc
    #    state: 64k
    #    storage: 64M
    #    upload_speed: 32k
    #    download_speed: 32k
    #    upload: 1G
    #    download: 1G
    #    temp: 32M

    #requestedResources:
    #    cpu: 10000
    #    ram: 32M              # at least 6 MB for crun and runc
    #    storage: 64M
    #    state: 64k

    #alerts:                   # ram, cpu, storage, upload, download
    #    ram:
    #        minTime: PT5S
    #        minThreshold: 10
    #        maxThreshold: 150
    #    cpu:
    #        minTime: PT5S
    #        minThreshold: 40
    #        maxThreshold: 45

    #hostname: my-service
    #exposedPorts:
    #    - 9000
    #    - 8089-8090/tcp
    #    - 1515/udp
    #allowedConnections:       # <service-uuid>/<port or range>/<tcp|udp>
    #    - 9931560c-be75-4f60-9abf-08297d905332/8087-8088/tcp
    #balancingPolicy: enabled  # enabled | disabled

    #devices:
    #    - name: camera0
    #      mode: rw            # r, w, m
    #resources:
    #    - system-dbus
    #permissions:
    #    vis:
    #        Signal.Doors.*: rw   # r | w | rw
`;
}
