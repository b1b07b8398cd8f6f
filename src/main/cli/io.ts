// What a CLI command may touch, passed in so tests run commands in-process.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True when standard input is a terminal (password prompts only then). */
  interactive: boolean;
  /** True when standard error is a terminal: live progress is drawn only then. */
  stderrIsTTY?: boolean;
  /** Width of the terminal on stderr, for progress lines (default 80). */
  columns?: number;
  /**
   * Asks for a password without echo; resolves undefined when the user gives up (Ctrl+D).
   * Default: the raw-mode prompt on process.stdin (prompt.ts). Tests pass their own.
   */
  promptPassword?: (question: string) => Promise<string | undefined>;
  /** Cancels long commands (sign, preview) besides Ctrl+C; tests use it. */
  signal?: AbortSignal;
}

/** Exit codes: 0 done (warnings allowed), 1 invalid input or failed check, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** The command answers `--help` itself (a command with subcommands prints theirs). */
  ownHelp?: boolean;
  run(args: string[], io: CliIo): Promise<number>;
}
