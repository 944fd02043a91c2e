/** Anything that runs a statement on one connection (a cursor lives on the connection that opened it). */
export interface CursorConnection {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
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

/**
 * Runs `text` through the cursor `name` and hands its rows to `handle` `size` at a time
 * (readCursor), then closes it. Every row will be read, so the statement is planned for all of them:
 * with the default cursor_tuple_fraction (a fast first tenth) the planner picked plans that took
 * twice as long on PGlite. Must run inside a transaction (a cursor lives in one). Returns the
 * number of rows read.
 */
export async function readQuery(
  c: CursorConnection,
  name: string,
  text: string,
  params: unknown[],
  size: number,
  handle: (rows: unknown[]) => Promise<void> | void,
): Promise<number> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a cursor name: ${name}`);
  await c.query('set local cursor_tuple_fraction = 1');
  await c.query(`declare ${name} no scroll cursor for ${text}`, params);
  try {
    return await readCursor(c, name, size, handle);
  } finally {
    await c.query(`close ${name}`).catch(() => undefined);
    await c.query('set local cursor_tuple_fraction = default').catch(() => undefined);
  }
}
