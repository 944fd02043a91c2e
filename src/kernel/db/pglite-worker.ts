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
const ready = openPglite((workerData as { dataDir?: string }).dataDir).then((d) => (db = d));

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

parentPort!.on('message', (msg: WorkerRequest) => {
  handle(msg).then(
    (result) => parentPort!.postMessage({ id: msg.id, ok: true, result }),
    (e: unknown) => parentPort!.postMessage({ id: msg.id, ok: false, error: toErrorShape(e) }),
  );
});
ready.catch((e: unknown) => parentPort!.postMessage({ id: -1, ok: false, error: toErrorShape(e) }));
