/**
 * The MCP server of one connection (the stdio process, or one HTTP session): the tools of the registry's commands,
 * the resources, and the caller they answer for. Built on the official SDK's `McpServer`.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Deps } from '../main.js';
import { VERSION } from '../version.js';
import { type McpRuntime, toolHandler } from './call-tool.js';
import type { Principal } from './principal.js';
import { mcpResources } from './resources.js';
import { INSTRUCTIONS, toolDescription } from './tool-docs.js';
import { inputSchema, outputSchema } from './tool-schemas.js';
import { offeredTools } from './tools.js';

/** Largest number of array elements and object members in one call's arguments (a handful of strings is normal). */
const MAX_INPUT_ELEMENTS = 64;

/** The runtime tool calls use, from the process's deps. */
export function mcpRuntime(deps: Deps): McpRuntime {
  return {
    context: deps.context,
    parse: { maxWindowSeconds: deps.config.EGRESS_MAX_WINDOW, classifier: deps.classifier },
    logger: deps.logger,
    clock: deps.clock,
    timeoutMs: deps.config.EGRESS_JOB_TIMEOUT * 1000,
    inflight: new Set(),
  };
}

/** A server answering for `principal`. Every tool is listed; what the principal may not call is refused (audited). */
export function buildMcpServer(rt: McpRuntime, principal: Principal): McpServer {
  const server = new McpServer(
    { name: 'egress', title: 'egress', version: VERSION },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: INSTRUCTIONS,
      maxToolInputElements: MAX_INPUT_ELEMENTS,
    },
  );
  for (const tool of offeredTools()) {
    server.registerTool(
      tool.name,
      {
        title: tool.spec.usage,
        description: toolDescription(tool.spec, tool.input.caveats, rt.parse.maxWindowSeconds),
        inputSchema: inputSchema(tool.input, tool.spec.usage),
        outputSchema: outputSchema(tool.name),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      toolHandler(rt, principal, tool),
    );
  }
  for (const r of mcpResources(rt)) {
    server.registerResource(
      r.name,
      r.uri,
      { title: r.title, description: r.description, mimeType: r.mimeType },
      async (uri) => ({ contents: [{ uri: uri.href, mimeType: r.mimeType, text: await r.read() }] }),
    );
  }
  return server;
}
