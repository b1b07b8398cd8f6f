// Reads a bundle in one streaming pass (tar v7's parser: pax, GNU long names, ./ prefixes,
// any gzip level), digesting the inner archive while listing its entries through a second
// parser fed from the same bytes. Memory stays bounded: only config.yaml and package.sign
// are kept, and the inner listing is capped.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';

export interface MemberInfo {
  /** Name without './' prefix or trailing '/'. */
  name: string;
  /** Name as stored. */
  stored: string;
  type: string;
  size: number;
  mode?: number;
  linkpath?: string;
}

export interface InnerListing {
  entries: MemberInfo[];
  truncated: boolean;
  files: number;
  directories: number;
  symlinks: number;
  other: number;
  bytes: number;
  configBytes?: Buffer;
  hasService: boolean;
  hasDefaultState: boolean;
  /** Top-level names other than config.yaml, service/ and default_state.dat. */
  unexpected: string[];
  problems: string[];
}

export interface BundleContents {
  members: MemberInfo[];
  configBytes?: Buffer;
  packageSign?: Buffer;
  service?: { size: number; sha3_512: string; sha256: string };
  inner?: InnerListing;
  /** Problems reading the outer archive itself (gzip / tar). */
  problems: string[];
}

const SMALL_LIMIT = 16 << 20;

export function normalName(p: string): string {
  let n = p.replace(/\\/g, '/');
  while (n.startsWith('./')) n = n.slice(2);
  n = n.replace(/^\/+/, '');
  if (n.endsWith('/')) n = n.replace(/\/+$/, '');
  return n === '.' ? '' : n;
}

function info(entry: ReadEntry): MemberInfo {
  const m: MemberInfo = { name: normalName(entry.path), stored: entry.path, type: entry.type, size: entry.size ?? 0 };
  if (entry.mode !== undefined) m.mode = entry.mode;
  if (entry.linkpath) m.linkpath = entry.linkpath;
  return m;
}

function collect(entry: ReadEntry, limit: number, onDone: (b: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  entry.on('data', (c: Buffer) => {
    size += c.length;
    if (size > limit) over = true;
    else chunks.push(c);
  });
  entry.on('end', () => onDone(over ? undefined : Buffer.concat(chunks)));
}

function parserDone(p: Parser): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    p.on('end', finish);
    p.on('close', finish);
    p.on('error', finish);
    // An aborted parser (corrupt gzip, bad archive) emits neither 'end' nor 'drain'.
    p.on('abort', finish);
  });
}

function innerParser(listLimit: number): { parser: Parser; listing: InnerListing; done: Promise<void> } {
  const listing: InnerListing = {
    entries: [],
    truncated: false,
    files: 0,
    directories: 0,
    symlinks: 0,
    other: 0,
    bytes: 0,
    hasService: false,
    hasDefaultState: false,
    unexpected: [],
    problems: [],
  };
  const parser = new Parser({
    strict: false,
    maxDecompressionRatio: Number.MAX_SAFE_INTEGER,
    onReadEntry: (entry: ReadEntry) => {
      const m = info(entry);
      if (listing.entries.length < listLimit) listing.entries.push(m);
      else listing.truncated = true;
      if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') {
        listing.files++;
        listing.bytes += m.size;
      } else if (entry.type === 'Directory') listing.directories++;
      else if (entry.type === 'SymbolicLink') listing.symlinks++;
      else listing.other++;
      const top = m.name.split('/')[0];
      if (m.name === 'config.yaml') {
        collect(entry, SMALL_LIMIT, (b) => {
          listing.configBytes = b;
          if (!b) listing.problems.push('config.yaml inside service.tar.gz is too large');
        });
        return;
      }
      if (top === 'service') listing.hasService = true;
      else if (m.name === 'default_state.dat') listing.hasDefaultState = true;
      else if (m.name !== '' && !listing.unexpected.includes(top)) listing.unexpected.push(top);
      entry.resume();
    },
  });
  parser.on('warn', (code: string, message: string | Error) => {
    listing.problems.push(`${typeof message === 'string' ? message : message.message} (${code})`);
  });
  parser.on('error', (e: Error) => listing.problems.push(e.message));
  return { parser, listing, done: parserDone(parser) };
}

export async function readBundleContents(file: string, opts: { listLimit?: number } = {}): Promise<BundleContents> {
  const contents: BundleContents = { members: [], problems: [] };
  const pending: Promise<void>[] = [];
  const finishers: (() => void)[] = [];
  let sawService = false;
  const outer = new Parser({
    strict: false,
    maxDecompressionRatio: Number.MAX_SAFE_INTEGER,
    onReadEntry: (entry: ReadEntry) => {
      const m = info(entry);
      contents.members.push(m);
      const isFile = entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
      if (isFile && m.name === 'config.yaml' && !contents.configBytes) {
        collect(entry, SMALL_LIMIT, (b) => (contents.configBytes = b));
      } else if (isFile && m.name === 'package.sign' && !contents.packageSign) {
        collect(entry, 1 << 20, (b) => (contents.packageSign = b));
      } else if (isFile && m.name === 'service.tar.gz' && !sawService) {
        sawService = true;
        const sha3 = createHash('sha3-512');
        const sha256 = createHash('sha256');
        let size = 0;
        const inner = innerParser(opts.listLimit ?? 1000);
        contents.inner = inner.listing;
        entry.on('data', (c: Buffer) => {
          sha3.update(c);
          sha256.update(c);
          size += c.length;
          inner.parser.write(c);
        });
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          contents.service = { size, sha3_512: sha3.digest('hex'), sha256: sha256.digest('hex') };
          inner.parser.end();
          pending.push(inner.done);
        };
        finishers.push(finish);
        entry.on('end', finish);
      } else {
        entry.resume();
      }
    },
  });
  outer.on('warn', (code: string, message: string | Error) => {
    contents.problems.push(`${typeof message === 'string' ? message : message.message} (${code})`);
  });
  outer.on('error', (e: Error) => contents.problems.push(e.message));
  const outerDone = parserDone(outer);
  let aborted = false;
  outer.on('abort', () => (aborted = true));
  try {
    for await (const chunk of createReadStream(file)) {
      if (aborted) break;
      if (!outer.write(chunk as Buffer) && !aborted) {
        await new Promise((r) => {
          outer.once('drain', r);
          outer.once('abort', r);
        });
      }
    }
  } catch (e) {
    contents.problems.push(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!aborted) outer.end();
  await outerDone;
  // A truncated archive may never end the member's stream: close the inner parser anyway.
  for (const f of finishers) f();
  await Promise.all(pending);
  return contents;
}
