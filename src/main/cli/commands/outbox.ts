import { parseArgs } from 'node:util';
import { describeTarget } from '../../core/cloud';
import { pushOutbox } from '../../core/outbox';
import { CLOUD_OPTIONS, connector, followHint, retryPolicyOf, outboxOf, retryLog, succeeded, uploadProgress } from '../cloud';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { passwordFromOptions } from '../password';
import { cancellation } from '../signal';
import type { AppError } from '../../../shared/errors';

export async function runOutbox(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: CLOUD_OPTIONS.json, 'password-env': CLOUD_OPTIONS['password-env'], 'password-file': CLOUD_OPTIONS['password-file'], tries: CLOUD_OPTIONS.tries, wait: { type: 'boolean' }, force: { type: 'boolean' } } });
  const [verb, ...ids] = positionals;
  const outbox = outboxOf(io);
  if (verb === 'list') {
    if (ids.length) throw new UsageError('outbox list takes no ID');
    const damaged: AppError[] = [];
    const listed = await outbox.list((err) => damaged.push(err));
    // Not listed, but said: an entry.json edited by hand or damaged, with the file and the field.
    for (const d of damaged) io.stderr(`warning: ${d.message}\n`);
    // An entry left uploading by a process that is gone is not uploading: nothing sends it now.
    const entries = await Promise.all(listed.map(async (e) => ((await outbox.interrupted(e)) ? { ...e, interrupted: true } : e)));
    if (values.json) io.stdout(`${JSON.stringify({ ok: true, dir: outbox.dir, entries, ...(damaged.length ? { damaged } : {}) }, null, 2)}\n`);
    else if (entries.length === 0) io.stdout(`The outbox is empty (${outbox.dir}).\n`);
    else {
      for (const e of entries) {
        const last = e.history.at(-1);
        const interrupted = 'interrupted' in e;
        io.stdout(`${e.id}  ${(interrupted ? 'interrupted' : e.state).padEnd(10)}  ${describeTarget(e)}  ${e.source}\n    ${last?.at ?? ''} ${last?.message ?? ''}\n`);
        if (interrupted) io.stdout(`    Interrupted: the process that was uploading it stopped mid-way; \`aos-bundle outbox push ${e.id}\` sends it again (the cloud keeps it once).\n`);
      }
    }
    return EXIT_OK;
  }
  if (verb === 'push') {
    const source = await passwordFromOptions(values, io);
    const { signal, dispose } = cancellation(io);
    const { line, onProgress } = uploadProgress(io);
    const connect = connector(io, source, retryLog(io, line), retryPolicyOf(values));
    try {
      const damaged: AppError[] = [];
      const results = await pushOutbox({ outbox, ids: ids.length ? ids : undefined, connect: (e) => connect(e.destination), signal, follow: Boolean(values.wait), onProgress, onDamaged: (err) => damaged.push(err) });
      line.clear();
      for (const d of damaged) io.stderr(`warning: ${d.message}\n`);
      // A damaged entry was not sent either: the push did not send all that waits.
      const ok = damaged.length === 0 && results.every((r) => succeeded(r.state, Boolean(values.wait)));
      if (values.json) io.stdout(`${JSON.stringify({ ok, results, ...(damaged.length ? { damaged } : {}) }, null, 2)}\n`);
      else if (results.length === 0) io.stdout('Nothing to push.\n');
      else
        for (const r of results) {
          // One line each: a skipped entry was not sent, whatever its state says; the reason is the line.
          if (r.skipped) {
            io.stdout(`${r.id}  ${'skipped'.padEnd(10)}  ${r.skipReason ?? r.message}\n`);
            continue;
          }
          const entry = values.wait ? undefined : await outbox.find(r.id);
          const next = entry && followHint(entry);
          io.stdout(`${r.id}  ${r.state.padEnd(10)}  ${r.message}\n${next ? `    next: ${next}\n` : ''}`);
        }
      return ok ? EXIT_OK : EXIT_INVALID;
    } finally {
      line.clear();
      dispose();
    }
  }
  if (verb === 'retry' || verb === 'remove') {
    if (ids.length !== 1) throw new UsageError(`outbox ${verb} takes one ID`);
    if (verb === 'retry') {
      const e = await outbox.retry(ids[0]);
      io.stdout(`${e.id}  ${e.state}\n`);
    } else {
      await outbox.remove(ids[0], { force: values.force });
      io.stdout(`${ids[0]}  removed\n`);
    }
    return EXIT_OK;
  }
  throw new UsageError(verb === undefined ? 'outbox needs list, push, retry or remove' : `unknown outbox action '${verb}'`);
}
