// V8 code cache for the CLI's own modules (dist/ and the packages it requires), so that a
// command does not parse and compile the same ~2 MB of JavaScript at every start: with the
// cache, V8 deserialises the compiled code instead (Node 22 has module.enableCompileCache;
// Node 20, which the project supports, does not).
//
// Safety: V8 checks a cache only against the source's length, the V8 version and its flags, so
// every entry is named by the SHA-1 of the module's path and full source: a changed file
// never meets an old entry. Entries are bytecode, as sensitive as the code itself, so they
// live only in the user's own cache folder (~/.cache or $XDG_CACHE_HOME, mode 0700, owned by
// the user), never in a shared temp folder, and are written to a temp file then renamed. A
// rejected or unreadable entry costs only the normal compile. BUNDLE_STUDIO_CODE_CACHE=0
// turns it off; =DIR puts it elsewhere.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

interface CompilingModule {
  exports: unknown;
  require(id: string): unknown;
  filename: string;
}

type Compile = (this: CompilingModule, content: string, filename: string) => unknown;

interface ModuleInternals {
  prototype: { _compile: Compile };
  wrap(source: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
}

/** Where the cache lives, or undefined when it is off or no safe folder exists. */
function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  const setting = env.BUNDLE_STUDIO_CODE_CACHE;
  if (setting === '0') return undefined;
  const base = setting || (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'bundle-studio') : env.HOME ? path.join(env.HOME, '.cache', 'bundle-studio') : undefined);
  if (!base) return undefined;
  const dir = path.join(base, `code-${process.version}-${process.arch}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    // Only a folder of this user's that nobody else can write to...
    if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid()) || st.mode & 0o022) return undefined;
    // ...and that nobody else can rename away and replace with their own (before this run or
    // between this check and the reads): every folder above it, as written and as resolved.
    if (typeof process.getuid === 'function' && !(onlyOwnersAbove(path.resolve(dir), process.getuid()) && onlyOwnersAbove(fs.realpathSync(dir), process.getuid()))) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Whether only `uid` and root can change what each folder above `dir` holds: each is owned by
 * one of them and writable by nobody else, except a sticky folder (/tmp), where others cannot
 * rename what is not theirs; the folder below a sticky one must then be `uid`'s or root's.
 */
function onlyOwnersAbove(dir: string, uid: number): boolean {
  for (let p = path.dirname(dir), child = dir; child !== p; child = p, p = path.dirname(p)) {
    const st = fs.statSync(p);
    if (st.uid !== uid && st.uid !== 0) return false;
    if (st.mode & 0o022) {
      if (!(st.mode & 0o1000)) return false;
      const c = fs.lstatSync(child);
      if (c.uid !== uid && c.uid !== 0) return false;
    }
  }
  return true;
}

/**
 * An entry is the SHA-256 of V8's data, then the data. V8 checks only the data's header
 * (version, flags, source length, payload length) in a release build, not its bytes: an
 * entry damaged past its header (a bad disk block, a stray write) aborts the process with a
 * V8 fatal error instead of being refused. The digest turns that into a normal compile.
 */
const DIGEST = 32;
function sealed(data: Buffer): Buffer {
  return Buffer.concat([createHash('sha256').update(data).digest(), data]);
}
function unsealed(entry: Buffer): Buffer | undefined {
  if (entry.length <= DIGEST) return undefined;
  const data = entry.subarray(DIGEST);
  return createHash('sha256').update(data).digest().equals(entry.subarray(0, DIGEST)) ? data : undefined;
}

/**
 * Installs the cache for modules under `root` (the package folder). Returns a function that
 * writes the entries still missing (also run at exit).
 */
export function installCodeCache(root: string, env: NodeJS.ProcessEnv = process.env): () => void {
  const found = cacheFolder(env);
  if (!found) return () => undefined;
  const dir: string = found;
  const M = Module as unknown as ModuleInternals;
  const original = M.prototype._compile;
  const dynamicImport = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const inside = root.endsWith(path.sep) ? root : root + path.sep;
  const missing: { file: string; script: vm.Script }[] = [];

  M.prototype._compile = function compile(this: CompilingModule, content: string, filename: string) {
    return compileCached(this, content, filename);
  };

  function compileCached(mod: CompilingModule, content: string, filename: string): unknown {
    // Without the main context's loader a vm.Script cannot run import(), and a wrapped source
    // cannot start with #!: leave such modules to Node.
    if (!filename.startsWith(inside) || content.startsWith('#!') || (!dynamicImport && content.includes('import('))) return original.call(mod, content, filename);
    const file = path.join(dir, createHash('sha1').update(filename).update('\0').update(content).digest('hex'));
    let cachedData: Buffer | undefined;
    try {
      cachedData = unsealed(fs.readFileSync(file));
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(M.wrap(content), {
      filename,
      cachedData,
      ...(dynamicImport ? { importModuleDynamically: dynamicImport as never } : {}),
    });
    if (!cachedData || script.cachedDataRejected) missing.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    // The same `require` Node gives a module: resolved from this one, sharing the module cache.
    const moduleRequire = Object.assign((id: string) => mod.require(id), {
      resolve: (request: string, options?: unknown) => M._resolveFilename(request, mod, false, options),
      main: require.main,
      extensions: M._extensions,
      cache: M._cache,
    });
    return wrapper.call(mod.exports, mod.exports, moduleRequire, mod, filename, path.dirname(filename));
  }

  // After the command ran, the scripts also hold the functions it compiled lazily.
  const flush = () => {
    for (const { file, script } of missing.splice(0)) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, sealed(script.createCachedData()), { mode: 0o600, flag: 'wx' });
        fs.renameSync(tmp, file);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    }
  };
  process.once('exit', flush);
  return flush;
}

/** The package folder: dist/cli/ is two levels below it. */
export function packageRoot(): string {
  return path.resolve(__dirname, '..', '..');
}
