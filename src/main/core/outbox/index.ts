// The outbox: signed bundles kept until the cloud has them. No Electron here.
export { Outbox, OUTBOX_STATES, defaultOutboxDir, sha256OfFile, ENTRY_FILE, BUNDLE_FILE } from './outbox';
export type { OutboxEntry, OutboxState, OutboxDestination, HistoryEvent } from './outbox';
export { pushOutbox, pushEntry } from './push';
export type { PushOptions, PushResult } from './push';
export { uploadBundleFile } from './upload-file';
export type { UploadFileOptions } from './upload-file';
export { OutboxPusher, AUTO_PUSH_BACKOFF } from './pusher';
export type { AutoPushStatus, ConnectHow, PusherOptions, PushNowOptions, Timers } from './pusher';
export { credentialsDirOf } from './config-dir';
export { KnownRoles, roleRefusalHolds, isRoleRefusal } from './role-refusal';
export type { RoleRefusal, RoleOf } from './role-refusal';
