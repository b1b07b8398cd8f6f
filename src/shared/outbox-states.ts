// The states of an outbox entry (issue 11), shared by the core outbox and the contract.
export const OUTBOX_STATES = ['queued', 'uploading', 'uploaded', 'processing', 'done', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
