/**
 * `egress mcp [--http]`: the MCP server — over stdio for a local agent (the local user is trusted; stdout is the
 * protocol's, logs go to stderr), or over Streamable HTTP on `EGRESS_MCP_HOST:EGRESS_MCP_PORT/mcp` with bearer tokens
 * from `EGRESS_MCP_TOKENS`. One set of deps for the process, closed on exit or SIGTERM.
 */
import { type Config, loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { parseNow } from '../flowlogs/window.js';
import { createLogger } from '../logger.js';
import { buildDeps } from '../main.js';
import { startMcpHttp } from '../mcp/http.js';
import { TokenBook } from '../mcp/principal.js';
import { mcpRuntime } from '../mcp/server.js';
import { serveStdio } from '../mcp/stdio.js';
import { KNOWN_TOOL_NAMES } from '../mcp/tools.js';
import { opsRoutes } from '../ops-routes.js';
import { exitSoon, waitForShutdown } from '../server/shutdown.js';
import type { CliIo } from './io.js';

export interface McpFlags {
  http?: boolean;
  data?: string;
  k8s?: string;
  ipRanges?: string;
  /** Default `now` of calls that give none (ISO-8601); default the clock. */
  now?: string;
  engine?: 'duckdb' | 'athena';
  port?: string;
}

/** The tokens, refusing an HTTP server without any and tools no command has (a typo would silently deny). */
function tokenBook(config: Config): TokenBook {
  const problems: string[] = [];
  if (!config.EGRESS_MCP_TOKENS.length)
    problems.push('  EGRESS_MCP_TOKENS: required for `egress mcp --http` (JSON, or a file holding it); see the README');
  for (const t of config.EGRESS_MCP_TOKENS) {
    const unknown = t.tools === '*' ? [] : t.tools.filter((name) => !KNOWN_TOOL_NAMES.includes(name));
    if (unknown.length)
      problems.push(
        `  EGRESS_MCP_TOKENS: token ${t.label} lists unknown tools ${unknown.join(', ')}; known: ${KNOWN_TOOL_NAMES.join(', ')}`,
      );
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return new TokenBook(config.EGRESS_MCP_TOKENS);
}

/** Runs the server until the client leaves (stdio), or SIGTERM/SIGINT; returns the exit code. */
export async function mcp(o: McpFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const tokens = o.http ? tokenBook(config) : undefined;
  const port = o.port === undefined ? config.EGRESS_MCP_PORT : Number(o.port);
  if (!(Number.isInteger(port) && port >= 0)) throw new ConfigError(`--port ${o.port} is not a port number`);
  const logger = createLogger(config.LOG_LEVEL, o.http ? 1 : 2);
  const deps = buildDeps(config, logger, {
    dataDir: o.data,
    k8sFile: o.k8s,
    ipRangesFile: o.ipRanges,
    engine: o.engine,
  });
  const now = o.now === undefined ? undefined : parseNow(o.now, io.clock);
  const rt = { ...mcpRuntime(deps), ...(now === undefined ? {} : { clock: () => now }) };
  const graceMs = config.EGRESS_SHUTDOWN_GRACE * 1000;
  try {
    if (tokens) {
      const http = await startMcpHttp(rt, {
        port,
        host: config.EGRESS_MCP_HOST,
        tokens,
        routes: opsRoutes(deps.metrics, deps.healthChecks),
        graceMs,
        maxBodyBytes: config.EGRESS_MAX_BODY_BYTES,
      });
      deps.onClose('entry', 'mcp-http', () => http.close());
      logger.info(
        { host: config.EGRESS_MCP_HOST, port: http.port, tokens: tokens.size },
        'egress mcp listening on /mcp',
      );
      // Start the engine and attribution now (informers sync, snapshot loads), so the first question is not slower.
      deps.context(deps.clock()).catch((err: unknown) => logger.warn({ err }, 'mcp: first context build failed'));
      await waitForShutdown(logger);
    } else {
      const stdio = await serveStdio(rt);
      deps.onClose('entry', 'mcp-stdio', () => stdio.close(graceMs));
      await Promise.race([stdio.ended, waitForShutdown(logger)]);
    }
  } finally {
    await deps.close();
  }
  exitSoon(0);
  return 0;
}
