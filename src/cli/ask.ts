/** `egress <command text…>`: the chat grammar from the shell, answered through the same command core. */
import { parseCommand } from '../commands/parse.js';
import { help, runCommand } from '../commands/registry.js';
import { loadConfig } from '../config.js';
import { parseNow } from '../flowlogs/window.js';
import { createLogger } from '../logger.js';
import { buildDeps } from '../main.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import type { CliIo } from './io.js';

/** The flags every data-reading subcommand shares (see `addDataOptions`). */
export interface DataFlags {
  data?: string;
  k8s?: string;
  now?: string;
  format: 'text' | 'json';
  engine?: 'duckdb' | 'athena';
}

/** Runs `egress <command text…>` and returns the exit code: 0 answered, 2 bad input, 1 other failure. */
export async function ask(words: string[], o: DataFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const now = parseNow(o.now, io.clock);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 2);
  const deps = buildDeps(config, logger, { dataDir: o.data, k8sFile: o.k8s, engine: o.engine });
  const cmd = parseCommand(words.join(' '), {
    maxWindowSeconds: config.EGRESS_MAX_WINDOW,
    classifier: deps.classifier,
  });
  try {
    // help needs no engine: its context is never built.
    const answer = cmd.name === 'help' ? help() : await runCommand(cmd, await deps.context(now));
    io.out(o.format === 'json' ? `${JSON.stringify(renderJson(answer), null, 2)}\n` : `${renderText(answer)}\n`);
    for (const s of answer.skipped) io.err(`warning: skipped unreadable object ${s.key}: ${s.reason}\n`);
    return 0;
  } finally {
    await deps.close();
  }
}
