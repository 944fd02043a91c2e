import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One owner per embedded data folder, as PostgreSQL's postmaster.pid does for a cluster. Two
 * PGlite instances on one folder do not see each other's writes and the later writer wins on
 * restart, so every opener (the server and each CLI command) takes this lock first. A lock left by
 * a process that is gone (kill -9, power loss) is taken over.
 */
export const LOCK_FILE = 'accord.lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  /** The process' start time in clock ticks since boot (Linux), to tell a reused pid from the owner. */
  procStart?: string;
  bootId?: string;
  command: string;
  since: string;
}

export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data folder ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${owner.since}). ` +
        'Only one process may open it: stop that process first (for the server: Ctrl-C or `kill ' +
        `${owner.pid}\`), or make the change through the running server's HTTP API with an API token (docs/operations.md).`,
    );
    this.name = 'DataFolderBusyError';
  }
}

const readOr = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may contain spaces). */
function procStart(pid: number | 'self'): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function alive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true; // cannot tell: a shared folder on another machine
  const boot = readOr('/proc/sys/kernel/random/boot_id');
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = procStart(owner.pid);
  if (owner.procStart && start && owner.procStart !== start) return false; // the pid was reused
  return true;
}

function me(): LockOwner {
  const bootId = readOr('/proc/sys/kernel/random/boot_id');
  const start = procStart('self');
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  return {
    pid: process.pid,
    hostname: hostname(),
    ...(start ? { procStart: start } : {}),
    ...(bootId ? { bootId } : {}),
    command: args.length ? `accord ${args.slice(0, 2).join(' ')}` : 'node',
    since: new Date().toISOString(),
  };
}

function readOwner(file: string): LockOwner | undefined {
  const raw = readOr(file);
  if (raw === undefined) return undefined;
  try {
    const o = JSON.parse(raw) as LockOwner;
    return typeof o.pid === 'number' ? o : undefined;
  } catch {
    return undefined; // half-written by a process that died while writing it: stale
  }
}

/** Takes the folder's lock or throws DataFolderBusyError; returns the release function. */
export function lockDataFolder(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  const mine = me();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, JSON.stringify(mine) + '\n');
      closeSync(fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      if (owner && owner.pid === process.pid && owner.procStart === mine.procStart) {
        throw new DataFolderBusyError(dataDir, owner); // opened twice by this very process
      }
      if (owner && alive(owner)) throw new DataFolderBusyError(dataDir, owner);
      // Stale: remove it and try again. Two processes taking over at once are settled by the
      // re-read below (the one whose lock is not in the file gives way).
      try {
        unlinkSync(file);
      } catch {
        /* someone else removed it */
      }
      continue;
    }
    const now = readOwner(file);
    if (!now || now.pid !== mine.pid || now.since !== mine.since) {
      if (now && alive(now)) throw new DataFolderBusyError(dataDir, now);
      continue;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      const cur = readOwner(file);
      if (cur && cur.pid === mine.pid && cur.since === mine.since && existsSync(file)) {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      }
    };
    // A normal exit (also after an uncaught error) removes it; kill -9 leaves it for the takeover.
    process.on('exit', release);
    return release;
  }
  throw new Error(`Could not take the lock ${file}`);
}
