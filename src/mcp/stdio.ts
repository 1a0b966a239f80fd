/**
 * `egress mcp` over stdio, for a local agent that spawns it: stdout carries the protocol and nothing else (logs go to
 * stderr), and the local user is trusted with every tool.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpRuntime } from './call-tool.js';
import { LOCAL_USER } from './principal.js';
import { buildMcpServer } from './server.js';

/** A server connected to stdin/stdout. */
export interface McpStdio {
  /** Resolves when the client goes away (stdin ends or the transport closes). */
  ended: Promise<void>;
  /** Waits for calls in flight (at most `graceMs`), then closes. */
  close(graceMs: number): Promise<void>;
}

/** Connects a server for the local user to the process's stdin and stdout. */
export async function serveStdio(
  rt: McpRuntime,
  stdin: NodeJS.ReadableStream = process.stdin,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<McpStdio> {
  const server = buildMcpServer(rt, LOCAL_USER);
  const transport = new StdioServerTransport(stdin as typeof process.stdin, stdout as typeof process.stdout);
  const ended = new Promise<void>((resolve) => {
    stdin.once('end', () => resolve());
    stdin.once('close', () => resolve());
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  return {
    ended,
    async close(graceMs) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs).unref();
      });
      await Promise.race([Promise.allSettled([...rt.inflight]), grace]);
      clearTimeout(timer);
      await server.close();
    },
  };
}
