import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApiHandlers } from '../../api/handlers';
import { startUiServer } from '../../server/ui-server';
import { openBrowserWithCode } from '../../server/launch-page';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';

/** The renderer build sits beside the CLI bundle: dist/cli → dist/renderer. */
export function rendererDir(): string {
  return join(__dirname, '..', 'renderer');
}

export async function runUi(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, 'no-open': { type: 'boolean' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got ${values.port}`);
  const dir = rendererDir();
  if (!existsSync(join(dir, 'index.html'))) {
    io.stderr(`The renderer is not built (${dir}); run \`npm run build\`.\n`);
    return EXIT_INVALID;
  }
  const server = await startUiServer({
    rendererDir: dir,
    port,
    createHandlers: (emit) => createApiHandlers({ mode: 'browser', emit, cwd: io.cwd }),
  });
  // The URL with the token goes to the user's own terminal only; the browser we start
  // gets a one-time code through a private file, never the token on its command line.
  io.stdout(`${server.url}\n`);
  io.stderr('Bundle Studio is served on 127.0.0.1 only. Press Ctrl+C to stop.\n');
  const page = values['no-open'] ? undefined : await openBrowserWithCode(server).catch(() => undefined);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await page?.remove();
  return EXIT_OK;
}
