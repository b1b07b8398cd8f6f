// Paths the user chose in a native save dialog, held in main. The dialog handler answers the
// renderer with an opaque grant (128 random bits) next to the path; a later write outside
// the usual bounds (the API signs only inside the service folder) is allowed only when it
// passes that grant back naming the same path. The renderer cannot mint one: the ids live
// here, never on disk, and expire.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

export interface WriteGrantsOptions {
  /** How long a grant stays usable (default 30 minutes). */
  ttlMs?: number;
  /** Most grants held; the oldest go first (default 64). */
  max?: number;
  now?: () => number;
}

export class WriteGrants {
  private readonly grants = new Map<string, { path: string; expires: number }>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: WriteGrantsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.max = options.max ?? 64;
    this.now = options.now ?? Date.now;
  }

  /** Records a path the user chose and returns its grant. */
  grant(path: string): string {
    this.prune();
    while (this.grants.size >= this.max) this.grants.delete(this.grants.keys().next().value as string);
    const id = randomBytes(16).toString('base64url');
    this.grants.set(id, { path: resolve(path), expires: this.now() + this.ttlMs });
    return id;
  }

  /**
   * The path a grant was issued for, or null when the grant is unknown or expired. A grant
   * stays bound to its one path (rebuilding to the chosen file needs no new dialog).
   */
  pathOf(id: string): string | null {
    this.prune();
    return this.grants.get(id)?.path ?? null;
  }

  private prune(): void {
    const t = this.now();
    for (const [id, g] of this.grants) if (g.expires <= t) this.grants.delete(id);
  }
}
