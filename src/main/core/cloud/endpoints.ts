// Every endpoint of the cloud's API that Bundle Studio calls, in one table, so that a change
// of the API is one edit here (service-bundle.md §4–5, deployment-bundle.md §4–5).
// Nothing else in the app spells an /api/ path.

/** The cloud's host when neither the config nor the certificate names one. */
export const DEFAULT_CLOUD_DOMAIN = 'aoscloud.io';
/** The port the cloud's API listens on for mutual-TLS clients. */
export const CLOUD_PORT = 10000;

export type EndpointName = 'usersMe' | 'serviceVersionUpload' | 'deploymentBundleUpload' | 'deploymentBundles' | 'layers';

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /** What the call is, for messages ("uploading the service version"). */
  what: string;
  /** The status that means success. */
  success: number;
  /** Whose call it is, for a 403 (deployment-bundle.md §5, service-bundle.md §1): which role and certificate to use. */
  whose?: string;
}

export const ENDPOINTS: Readonly<Record<EndpointName, Endpoint>> = Object.freeze({
  usersMe: { method: 'GET', path: '/api/v11/users/me/', what: 'asking who you are', success: 200 },
  /** v1 service bundle; query: service, version, package_version=2; multipart part `file`. */
  serviceVersionUpload: { method: 'POST', path: '/api/v11/services/versions/', what: 'uploading the service version', success: 201, whose: 'Services are uploaded by service providers (their certificate is normally aos-user-sp.p12).' },
  /** v2 deployment bundle (batch.tar.gz); multipart part `file`. */
  deploymentBundleUpload: {
    method: 'POST',
    path: '/api/v11/deployment-bundles/upload/',
    what: 'uploading the deployment bundle',
    success: 201,
    whose: 'Only OEM users upload layers and components (their certificate is normally aos-user-oem.p12); a deployment bundle of services only is a service provider\'s (aos-user-sp.p12).',
  },
  /** Paginated list (items, total, offset); there is no per-bundle GET. */
  deploymentBundles: { method: 'GET', path: '/api/v11/deployment-bundles/', what: 'reading the deployment bundles', success: 200 },
  /** Paginated list of the organisation's layers; `search` filters. */
  layers: { method: 'GET', path: '/api/v11/layers/', what: 'listing the layers', success: 200 },
});

/** The query of a v1 service version upload: taken from the config inside the bundle. */
export function serviceVersionQuery(serviceUid: string, version: string): Record<string, string> {
  return { service: serviceUid, version, package_version: '2' };
}

/** The page size asked of paginated lists. */
export const PAGE_SIZE = 100;

export function endpointUrl(base: string, name: EndpointName, query: Record<string, string | number> = {}): URL {
  const url = new URL(ENDPOINTS[name].path, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  return url;
}
