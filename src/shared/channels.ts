// The names of the contract's channels and events, without their schemas. The preload
// imports only this module so its sandboxed CommonJS bundle stays small (no zod).
// test/unit/electron/channels.test.ts checks that it matches `contract` and `events`
// in ./contract exactly.

export const channelNames = [
  'app.info',
  'recent.list',
  'recent.remove',
  'service.init',
  'service.open',
  'config.validate',
  'config.save',
  'src.list',
  'service.watch',
  'service.unwatch',
  'src.addFiles',
  'src.copyIn',
  'src.mkdir',
  'src.rename',
  'src.delete',
  'src.newFile',
  'fs.browse',
  'fs.mkdir',
  'dialog.openFolder',
  'dialog.openFiles',
  'dialog.saveFile',
  'credentials.describe',
  'shell.showInFolder',
  'credentials.forService',
  'bundle.sign',
  'bundle.verify',
  'bundle.inspect',
  'job.cancel',
  'job.status',
  'settings.get',
  'settings.set',
  'preview.build',
  'preview.rootfs',
  'preview.export',
  'layers.scan',
  'layers.plan',
  'layers.pack',
  'layers.catalog',
  'layers.dependants',
  'layers.inspect',
  'layers.removePlan',
  'layers.remove',
  'layers.sbom',
  'layers.add',
  'folder.detect',
  'deployment.create',
  'deployment.open',
  'deployment.validate',
  'deployment.save',
  'deployment.contents',
  'credentials.forDeployment',
  'deployment.sign',
  'cloud.upload',
  'outbox.add',
  'cloud.whoami',
  'outbox.list',
  'outbox.push',
  'outbox.retry',
  'outbox.remove',
  'deployment.preview',
] as const;

export const eventNameList = ['job.progress', 'job.done', 'service.changed', 'outbox.changed', 'menu.command'] as const;

export type ChannelName = (typeof channelNames)[number];
export type EventNameString = (typeof eventNameList)[number];

const channelSet: ReadonlySet<string> = new Set(channelNames);
const eventSet: ReadonlySet<string> = new Set(eventNameList);

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && channelSet.has(name);
}

export function isEventName(name: unknown): name is EventNameString {
  return typeof name === 'string' && eventSet.has(name);
}
