/** Anything that runs a statement on one connection (a cursor lives on the connection that opened it). */
export interface CursorConnection {
  query(text: string): Promise<{ rows: unknown[] }>;
}

/**
 * Reads the open cursor `name` `size` rows at a time and hands each slice to `handle`, with the next
 * FETCH already sent: one connection runs its statements in order, so the database reads the next
 * slice while the main thread handles this one. Returns the number of rows read. The caller opens
 * and closes the cursor (inside its transaction).
 */
export async function readCursor(c: CursorConnection, name: string, size: number, handle: (rows: unknown[]) => Promise<void> | void): Promise<number> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a cursor name: ${name}`);
  const fetchNext = () => {
    const p = c.query(`fetch ${Math.max(1, Math.floor(size))} from ${name}`);
    // Awaited on the next turn; this only keeps a failure while nobody waits yet from counting as unhandled.
    p.catch(() => undefined);
    return p;
  };
  let total = 0;
  let next = fetchNext();
  for (;;) {
    const { rows } = await next;
    total += rows.length;
    if (rows.length === size) next = fetchNext();
    if (rows.length) await handle(rows);
    if (rows.length < size) return total;
  }
}
