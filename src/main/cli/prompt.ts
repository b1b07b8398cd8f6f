// A password prompt for the terminal: raw mode, nothing echoed, Backspace edits, Enter
// accepts, Ctrl+C cancels, Ctrl+D on an empty line gives up. The input stream is a
// parameter (the seam tests use); by default it is process.stdin and the prompt goes to
// stderr so that stdout stays clean for results.
import { appError } from '../../shared/errors';

/** The part of a TTY read stream the prompt uses. */
export interface HiddenInput {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
  setEncoding?: (encoding: BufferEncoding) => unknown;
}

export interface HiddenPromptOptions {
  input?: HiddenInput;
  output?: (text: string) => void;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = ['\u007f', '\b'];

/**
 * Asks `question` and reads a line without echo. Resolves the text typed (possibly empty),
 * or undefined on Ctrl+D with nothing typed; rejects with a 'cancelled' failure on Ctrl+C.
 */
export function promptHidden(question: string, opts: HiddenPromptOptions = {}): Promise<string | undefined> {
  const input = opts.input ?? (process.stdin as unknown as HiddenInput);
  const output = opts.output ?? ((t: string) => void process.stderr.write(t));
  const raw = typeof input.setRawMode === 'function';
  return new Promise((resolve, reject) => {
    let typed = '';
    let escape = false;
    const finish = (fn: () => void) => {
      input.removeListener('data', onData);
      if (raw) input.setRawMode!(false);
      input.pause();
      output('\n');
      fn();
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const ch of text) {
        if (escape) {
          // Skip terminal escape sequences (arrows...): ESC [ ... final letter or ~.
          if (/[A-Za-z~]/.test(ch)) escape = false;
          continue;
        }
        if (ch === '\u001b') {
          escape = true;
        } else if (ch === '\r' || ch === '\n') {
          return finish(() => resolve(typed));
        } else if (ch === CTRL_C) {
          return finish(() => reject(appError('cancelled', 'Cancelled.')));
        } else if (ch === CTRL_D) {
          if (typed === '') return finish(() => resolve(undefined));
        } else if (ch === CTRL_U) {
          typed = '';
        } else if (BACKSPACE.includes(ch)) {
          typed = [...typed].slice(0, -1).join('');
        } else if (ch >= ' ') {
          typed += ch;
        }
      }
    };
    output(question);
    if (raw) input.setRawMode!(true);
    input.on('data', onData);
    input.resume();
  });
}
