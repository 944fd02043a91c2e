/**
 * PGlite's own thread. PGlite runs Postgres as WebAssembly on the thread that calls it, so a long
 * recompute would freeze HTTP on the main thread; here it only blocks this worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite, runOnPglite, toErrorShape } from './engine.ts';

export type WorkerRequest =
  | { id: number; op: 'query'; text: string; params?: unknown[]; rowMode: 'array' | 'object' }
  | { id: number; op: 'exec'; text: string }
  | { id: number; op: 'copyIn'; text: string; data: Blob }
  | { id: number; op: 'copyOut'; text: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

let db: PGlite | undefined;
const { dataDir, instanceId } = workerData as { dataDir?: string; instanceId?: string };
const ready = openPglite(dataDir, undefined, instanceId).then((d) => (db = d));

async function handle(msg: WorkerRequest): Promise<unknown> {
  await ready;
  const d = db!;
  switch (msg.op) {
    case 'query':
      return runOnPglite(d, msg.text, msg.params, msg.rowMode);
    case 'exec':
      await d.exec(msg.text);
      return null;
    case 'copyIn': {
      const r = await d.query(msg.text, [], { blob: msg.data });
      return { rowCount: r.affectedRows ?? 0 };
    }
    case 'copyOut': {
      const r = await d.query(msg.text);
      return r.blob ?? new Blob([]);
    }
    case 'dump':
      return d.dumpDataDir('gzip');
    case 'close':
      await d.close();
      return null;
  }
}

/**
 * Every request gets exactly one answer. Sending the result can itself fail (a JSON value nested
 * thousands of levels deep overflows the structured clone), and an exception there used to leave
 * the caller waiting for ever with the only connection locked: it is answered as an error instead.
 */
function reply(id: number, ok: boolean, payload: unknown) {
  try {
    parentPort!.postMessage(ok ? { id, ok, result: payload } : { id, ok, error: payload });
  } catch (e) {
    const shape = toErrorShape(e);
    parentPort!.postMessage({ id, ok: false, error: { ...shape, message: `The database could not send its answer: ${shape.message}` } });
  }
}

parentPort!.on('message', (msg: WorkerRequest) => {
  let answer: Promise<unknown>;
  try {
    answer = handle(msg);
  } catch (e) {
    answer = Promise.reject(e);
  }
  answer.then(
    (result) => reply(msg.id, true, result),
    (e: unknown) => reply(msg.id, false, toErrorShape(e)),
  );
});
ready.catch((e: unknown) => reply(-1, false, toErrorShape(e)));
