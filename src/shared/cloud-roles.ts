// What the cloud's role (users/me `role`) allows, for the badges on the actions it gates
// (deployment-bundle.md §5, service-bundle.md §4): layers and components are uploaded by OEM
// users, services by service providers. Pure: the renderer and main both use it.

export type RoleKind = 'oem' | 'service-provider' | 'fleet-owner' | 'other';

/** The role as the cloud spells it (`oem`, `service provider`, `fleet owner`) → a kind. */
export function roleKindOf(role: string | undefined): RoleKind | undefined {
  if (role === undefined || role.trim() === '') return undefined;
  const r = role.trim().toLowerCase().replace(/[_-]+/g, ' ');
  if (r === 'oem') return 'oem';
  if (r === 'service provider' || r === 'sp') return 'service-provider';
  if (r === 'fleet owner') return 'fleet-owner';
  return 'other';
}

export const ROLE_LABEL: Readonly<Record<RoleKind, string>> = Object.freeze({
  oem: 'OEM',
  'service-provider': 'Service provider',
  'fleet-owner': 'Fleet owner',
  other: 'Other role',
});

/** What is uploaded: a v1 service, or a v2 deployment bundle of layers or components. */
export type UploadKind = 'service' | 'deployment';

/**
 * The role an upload needs. A deployment bundle of services is a service provider's (spec §1:
 * "service providers can use it for services"); one holding layers or components an OEM's.
 * `itemTypes` are the bundle's item types (identity.type); unknown counts as an OEM's.
 */
export function roleNeededFor(kind: UploadKind, itemTypes?: readonly string[]): RoleKind {
  if (kind === 'service') return 'service-provider';
  return itemTypes && itemTypes.length > 0 && itemTypes.every((t) => t === 'service') ? 'service-provider' : 'oem';
}

export interface RoleGate {
  needed: RoleKind;
  /** undefined: the role is not known (offline), so the app cannot say. */
  allowed?: boolean;
  /**
   * The spec says the cloud refuses it (deployment-bundle.md §5: only OEM users upload layers
   * and components), so the app does not offer the action. Where the spec only names whose
   * work it is (services: service providers), a role other than that is not refused here:
   * the cloud decides, and its 403 is explained if it comes.
   */
  refused?: boolean;
  /** In words, for the badge's tooltip and the action's help. */
  reason: string;
}

/** Whether `role` (from users/me, when known) may upload `kind`, with the reason. */
export function uploadGate(kind: UploadKind, role: string | undefined, itemTypes?: readonly string[]): RoleGate {
  const needed = roleNeededFor(kind, itemTypes);
  const what =
    kind === 'service' ? 'Services are uploaded by service providers' : needed === 'service-provider' ? 'Deployment bundles of services are uploaded by service providers' : 'Layer and component bundles are uploaded by OEM users';
  const has = roleKindOf(role);
  if (has === undefined) return { needed, reason: `${what}; the cloud has not told this certificate's role yet.` };
  if (has === needed) return { needed, allowed: true, reason: `${what}: the cloud says this certificate is ${ROLE_LABEL[has]}.` };
  if (needed === 'oem') {
    return { needed, allowed: false, refused: true, reason: `${what}, and the cloud says this certificate is ${ROLE_LABEL[has]} (role "${role}"): the cloud will refuse it. Use the certificate of an ${ROLE_LABEL[needed]} user.` };
  }
  return {
    needed,
    allowed: false,
    reason: `${what}, and the cloud says this certificate is ${ROLE_LABEL[has]} (role "${role}"): the cloud may refuse it (HTTP 403). If it does, use the certificate of a ${ROLE_LABEL[needed]} user.`,
  };
}
