// A role refusal: the cloud recognised the entry's certificate and answered 403, its role may
// not upload this (failures.ts explains it so). Sending the same bytes with the same
// certificate again only meets the same 403, so a push of everything (Push now, the automatic
// push, `aos-bundle outbox push` without ids) leaves such an entry alone and says why, until
// something that could change the cloud's answer has changed. The entry itself is not touched.
//
// What could change the answer, decided from what this process knows without asking the cloud
// (a push of everything must not become a way to send the refused upload, or a users/me, on
// every press):
// - the credentials used: the entry's destination (credential files, --cloud, CA, domain) and
//   each credential file's inode, size and mtime, as they were at the 403. A different
//   certificate at the same path (aos-user-oem.p12 copied over) is a changed file.
// - the role users/me told this process for those credentials since (the app's account card,
//   the automatic push's check): a role that now may upload this kind of bundle (uploadGate
//   says allowed) lifts the skip. A role users/me says is still not allowed keeps it; an
//   unknown role (the CLI asks none) decides nothing, the files do.
// - where the entry goes: for an entry that leaves its cloud or CA open, the app's Cloud
//   settings fill them in (PushOptions.destinationOf), and another cloud there is another
//   answer (its own users and roles): the 403 is kept against the destination filled in.
// Explicitly naming the entry (its Push, `outbox push ID`, Retry in the app) always sends it:
// that is the user's decision, one request per action.
import { uploadGate } from '../../../shared/cloud-roles';
import type { CredentialFiles } from '../credentials/load';
import { credentialFileStamps, describeFiles } from '../cloud/identity';
import { CloudFailure } from '../cloud/failures';
import type { FileIdentity } from '../cloud/signed-bundle';
import type { OutboxDestination, OutboxEntry } from './outbox';

/** What the 403 was given with: the entry's destination and its credential files then. */
export interface RoleRefusal {
  at: string;
  /** The destination as it was (JSON), credentials included. */
  destination: string;
  /** Each credential file (PKCS#12, or key then certificate) as it was; null where it could not be read. */
  files: (FileIdentity | null)[];
}

/** The cloud's 403: the certificate is known, its role may not do this. */
export function isRoleRefusal(e: unknown): e is CloudFailure {
  return e instanceof CloudFailure && e.detail.status === 403;
}

/** As `new Date().toISOString()` writes it: the reason quotes its date and minute. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** A destination is a few paths and a URL; more is not one this code wrote. */
const MAX_DESTINATION = 64 * 1024;

const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isIdentity = (f: unknown) =>
  typeof f === 'object' && f !== null && !Array.isArray(f) && isCount((f as FileIdentity).ino) && isCount((f as FileIdentity).size) && Number.isFinite((f as FileIdentity).mtimeMs);

/**
 * The first field of a roleRefusal read from entry.json that is not what roleRefusalOf writes
 * (a hand edit, a damaged file), as a dotted path; undefined when it is sound or absent. The
 * file is the user's, but a push of everything reads every entry: a wrong type must be refused
 * by name, not crash it or be taken for a refusal.
 */
export function invalidRoleRefusalField(r: unknown): string | undefined {
  if (r === undefined) return undefined;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'roleRefusal';
  const { at, destination, files } = r as Record<string, unknown>;
  if (typeof at !== 'string' || !ISO_TIME.test(at)) return 'roleRefusal.at';
  if (typeof destination !== 'string' || destination.length > MAX_DESTINATION) return 'roleRefusal.destination';
  // One file (PKCS#12) or two (key, certificate).
  if (!Array.isArray(files) || files.length < 1 || files.length > 2) return 'roleRefusal.files';
  const bad = files.findIndex((f) => f !== null && !isIdentity(f));
  return bad >= 0 ? `roleRefusal.files.${bad}` : undefined;
}

/** Each credential file of the destination as it is now (taken before a send: see roleRefusalOf). */
export const filesOf = (d: OutboxDestination): Promise<(FileIdentity | null)[]> => credentialFileStamps(d.credentials);

/**
 * The refusal to keep: `files` are the credential files as they were before the send (filesOf),
 * not after the 403. A file replaced while the upload was on its way is then seen changed and
 * lifts the skip, instead of the new file being held to the old certificate's refusal.
 */
export function roleRefusalOf(destination: OutboxDestination, files: (FileIdentity | null)[], at: string): RoleRefusal {
  return { at, destination: JSON.stringify(destination), files };
}

/** Where an entry goes now, with what its connect fills in (push.ts PushOptions.destinationOf). */
export type DestinationOf = (entry: Pick<OutboxEntry, 'destination'>) => Promise<OutboxDestination>;

/** The role users/me told this process for some credentials (by their files), and when. */
export class KnownRoles {
  private readonly roles = new Map<string, { role: string; at: number }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  remember(credentials: CredentialFiles, role: string | undefined): void {
    if (role) this.roles.set(describeFiles(credentials), { role, at: this.now().getTime() });
  }

  /** The role told, if it was told at `since` (an ISO time) or later. */
  of(credentials: CredentialFiles, since?: string): string | undefined {
    const told = this.roles.get(describeFiles(credentials));
    return told && (since === undefined || told.at >= Date.parse(since)) ? told.role : undefined;
  }
}

/**
 * The role told for these credentials since the time given: a role told before the 403 (the
 * account card opened first) is what the cloud refused, not a change that could lift it.
 */
export type RoleOf = (credentials: CredentialFiles, since: string) => string | undefined;

/**
 * Why a push of everything leaves this entry alone, in words; undefined when it does not (no
 * role refusal is its last failure, or something that could change the answer changed).
 */
export async function roleRefusalHolds(entry: OutboxEntry, roleOf?: RoleOf, destinationOf?: DestinationOf): Promise<string | undefined> {
  const r = entry.roleRefusal;
  if (!r) return undefined;
  const destination = (await destinationOf?.(entry)) ?? entry.destination;
  if (JSON.stringify(destination) !== r.destination) return undefined;
  const now = await filesOf(destination);
  if (JSON.stringify(now) !== JSON.stringify(r.files)) return undefined;
  const role = roleOf?.(entry.destination.credentials, r.at);
  const kind = entry.target.api === 'service-version' ? 'service' : 'deployment';
  const itemTypes = entry.target.api === 'deployment-bundle' ? entry.target.items.map((i) => i.type ?? '') : undefined;
  if (role !== undefined && uploadGate(kind, role, itemTypes).allowed === true) return undefined;
  const told = role !== undefined ? `the cloud still says its role is "${role}"` : 'its role has not been told otherwise since';
  const force =
    entry.state === 'failed'
      ? `Retry it (in the CLI: aos-bundle outbox retry ${entry.id}, then aos-bundle outbox push ${entry.id})`
      : `push it by itself (its Push, or aos-bundle outbox push ${entry.id})`;
  // A minute is enough to tell which attempt it was; the history has the exact time.
  const when = `${r.at.slice(0, 10)} ${r.at.slice(11, 16)} UTC`;
  return (
    `Not sent: the cloud refused this certificate's role for this upload (HTTP 403) on ${when}, and the same certificate (${describeFiles(entry.destination.credentials)}) is unchanged and ${told}, so it would refuse it again. ` +
    `Use the certificate of the right role (upload it again with it), or once your role allows it, ${force}.`
  );
}
