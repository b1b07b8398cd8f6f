// Runs CLI commands in-process with captured output and a chosen terminal situation.
import { run } from '../../../src/main/cli/index';
import type { CliIo } from '../../../src/main/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], cwd: string, io: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const base: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: { HOME: cwd },
    interactive: false,
  };
  const wrapped: CliIo = {
    ...base,
    ...io,
    stdout: (t) => {
      stdout += t;
      io.stdout?.(t);
    },
    stderr: (t) => {
      stderr += t;
      io.stderr?.(t);
    },
  };
  const code = await run(args, wrapped);
  return { code, stdout, stderr };
}

/** `key: value` lines of stdout. */
export function fields(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .map((l) => /^([\w-]+): (.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}
