// `configuration.cmd` → image config Entrypoint + Cmd (oci-output.md §4, inferred mapping).
// A string is split the way Python's `shlex.split` does (POSIX mode, no comments): the
// platform's tooling is Python, and that is the shell-like split a Python cloud would use.

export type SplitResult = { ok: true; tokens: string[] } | { ok: false; error: string };

const WHITESPACE = /[ \t\r\n]/;

/** POSIX shell-like split: quotes group, backslash escapes; no variables, globs or comments. */
export function splitCommand(text: string): SplitResult {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) current += text[++i];
      else current += c;
      continue;
    }
    if (WHITESPACE.test(c)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    inToken = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, error: 'the command ends with a lone backslash' };
      current += text[++i];
    } else current += c;
  }
  if (quote) return { ok: false, error: `the command has an unclosed ${quote === '"' ? 'double' : 'single'} quote` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}

export interface EntrypointCmd {
  entrypoint: string[];
  cmd: string[];
}

/** Entrypoint = the first token, Cmd = the rest (the unit runs Entrypoint ++ Cmd). */
export function toEntrypointCmd(tokens: readonly string[]): EntrypointCmd {
  return { entrypoint: tokens.slice(0, 1), cmd: tokens.slice(1) };
}
