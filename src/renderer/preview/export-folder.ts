// Where an export goes. main refuses a folder that is not empty (an export never mixes with
// other files); the UI says so first and proposes a new sub-folder named after the service
// and the target, e.g. hello-world-oci-v9, numbered when that name is taken.

export function proposedExportFolder(serviceName: string, target: 'v8' | 'v9', taken: readonly string[]): string {
  const base = `${serviceName}-oci-${target}`;
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base}-${i}`)) return `${base}-${i}`;
}
