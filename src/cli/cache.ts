/** `egress cache status | warm [last N] | clear`: the embedded engine's columnar store, from the shell. */
import { loadConfig } from '../config.js';
import { parseDuration } from '../duration.js';
import { createEngine } from '../engine/create.js';
import { cacheRoot, storeDir } from '../engine/duckdb-factory.js';
import { ColumnStore } from '../engine/store.js';
import { storeStatus, type WarmProgress, warmStore } from '../engine/store-warm.js';
import { UserError } from '../errors.js';
import { parseNow } from '../flowlogs/window.js';
import { type CliIo, defaultIo } from './io.js';

/** Flags of `egress cache`. */
export interface CacheFlags {
  data?: string;
  now?: string;
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const USAGE = 'egress cache status | warm [last N(h|d)] | clear';

/** Runs one `egress cache` action; returns the exit code. */
export async function cacheCommand(action: string, words: string[], o: CacheFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  if (action === 'clear') {
    const r = await new ColumnStore(storeDir(config), 0, { flow: '', dns: '' }).clear();
    io.out(`cleared the columnar store in ${storeDir(config)}: ${r.files} files, ${mib(r.bytes)}\n`);
    return 0;
  }
  if (action !== 'status' && action !== 'warm') throw new UserError('BAD_COMMAND', `unknown action; type ${USAGE}`);
  const now = parseNow(o.now, io.clock);
  const seconds = windowSeconds(words, config.EGRESS_MAX_WINDOW);
  const window = { from: now - seconds, to: now };
  const engine = await createEngine(config, { engine: 'duckdb', dataDir: o.data });
  try {
    const { DuckDbEngine } = await import('../engine/duckdb.js');
    if (!(engine instanceof DuckDbEngine)) throw new Error('the columnar store needs the DuckDB engine');
    if (action === 'status') {
      const s = await storeStatus(engine, window);
      if (!s.enabled) io.out('columnar store: off (EGRESS_CACHE=off); questions read the log objects raw\n');
      else {
        io.out(`columnar store: ${s.dir} (index ${cacheRoot(config)})\n`);
        io.out(`  ${s.storeFiles} files, ${mib(s.storeBytes)} of ${mib(s.maxBytes ?? 0)} (EGRESS_CACHE_MAX_BYTES)\n`);
      }
      io.out(
        `  mirror, last ${seconds / 86_400}d: ${s.objects} objects (${mib(s.objectBytes)}), ${s.converted} converted\n`,
      );
      if (s.problem) io.out(`  note: ${s.problem}\n`);
      return 0;
    }
    if (!engine.store)
      throw new UserError('BAD_COMMAND', 'the columnar store is off (EGRESS_CACHE=off): unset EGRESS_CACHE to warm it');
    const progress = progressPrinter(io);
    const r = await warmStore(engine, window, { onProgress: progress });
    progress.end();
    io.out(
      `warmed: ${r.done} objects (${mib(r.bytesDone)}) converted in ${(r.elapsedMs / 1000).toFixed(1)} s` +
        `${r.skipped.length ? `; ${r.skipped.length} unreadable skipped` : ''}\n`,
    );
    for (const s of r.skipped) io.err(`warning: skipped unreadable object ${s.key}: ${s.reason}\n`);
    if (r.problem) io.err(`note: ${r.problem}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}

/** `last 7d` (or `7d`) → seconds; default the longest window a question may ask. */
function windowSeconds(words: string[], fallback: number): number {
  const w = words[0] === 'last' ? words.slice(1) : words;
  if (w.length === 0) return fallback;
  const s = w.length === 1 ? parseDuration(w[0] as string) : undefined;
  if (!s || !/[hd]$/i.test(w[0] as string)) throw new UserError('BAD_COMMAND', `"${words.join(' ')}": type ${USAGE}`);
  return s;
}

/** A progress bar (objects, bytes, rate, ETA) on a terminal; a plain line every 10 % otherwise. */
function progressPrinter(io: CliIo): ((p: WarmProgress) => void) & { end(): void } {
  const tty = io.err === defaultIo.err && Boolean(process.stderr.isTTY);
  let lastTenth = -1;
  let drew = false;
  const line = (p: WarmProgress) => {
    const rate = p.elapsedMs > 0 ? p.bytesDone / MiB / (p.elapsedMs / 1000) : 0;
    const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / MiB / rate : 0;
    return `${p.done}/${p.total} objects, ${mib(p.bytesDone)}/${mib(p.bytesTotal)}, ${rate.toFixed(1)} MiB/s, ETA ${eta.toFixed(0)} s`;
  };
  const f = (p: WarmProgress) => {
    if (p.total === 0) return;
    const share = p.done / p.total;
    if (tty) {
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
      io.err(`\r[${bar}] ${line(p)}`);
      drew = true;
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      io.err(`warming: ${line(p)}\n`);
    }
  };
  return Object.assign(f, { end: () => (drew ? io.err('\n') : undefined) });
}
