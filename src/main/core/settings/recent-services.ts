// Recently opened services, kept in the user's config folder (never in the service tree).
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';

export interface RecentService {
  root: string;
  name: string;
  openedAt: string;
  /** What the folder held when opened; entries written before deployment bundles have none (services). */
  kind?: 'service' | 'deployment';
}

const MAX_RECENT = 12;

/** BUNDLE_STUDIO_CONFIG_DIR overrides the folder (tests, portable installs). */
export function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUNDLE_STUDIO_CONFIG_DIR) return env.BUNDLE_STUDIO_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'bundle-studio');
}

export class RecentServices {
  constructor(private readonly dir: string) {}

  private get file(): string {
    return join(this.dir, 'recent-services.json');
  }

  async list(): Promise<RecentService[]> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return Array.isArray(data) ? data.filter(isRecent).slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  async remember(root: string, now: Date = new Date(), kind: 'service' | 'deployment' = 'service'): Promise<RecentService[]> {
    const rest = (await this.list()).filter((r) => r.root !== root);
    const next = [{ root, name: basename(root), openedAt: now.toISOString(), kind }, ...rest].slice(0, MAX_RECENT);
    await this.write(next);
    return next;
  }

  /** Forgets one entry; the service folder itself is not touched. */
  async remove(root: string): Promise<RecentService[]> {
    const before = await this.list();
    const next = before.filter((r) => r.root !== root);
    if (next.length !== before.length) await this.write(next);
    return next;
  }

  private async write(list: RecentService[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(list, null, 2));
  }
}

function isRecent(v: unknown): v is RecentService {
  const r = v as RecentService;
  return (
    !!r &&
    typeof r.root === 'string' &&
    typeof r.name === 'string' &&
    typeof r.openedAt === 'string' &&
    (r.kind === undefined || r.kind === 'service' || r.kind === 'deployment')
  );
}
