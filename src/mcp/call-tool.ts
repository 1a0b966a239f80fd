/**
 * One tool call, the way the worker answers a Slack command: authorize (tool, then namespaces), turn the fields into
 * the command text and parse it with the chat parser, run it with the client's abort signal and a timeout, restrict
 * it to the token's namespaces, render text + JSON. Every call writes one audit line; every failure is a tool result
 * with `isError` (the fix-it text for the person's mistakes, `publicMessage` for ours), never a protocol error.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ContextFactory } from '../commands/context.js';
import type { ParseOptions } from '../commands/grammar.js';
import { parseCommand } from '../commands/parse.js';
import { describeCommand, runCommand } from '../commands/registry.js';
import { describeDuration } from '../duration.js';
import { EgressError, isUserError, publicMessage } from '../errors.js';
import { parseNow } from '../flowlogs/window.js';
import type { Logger } from '../logger.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { RESTRICTABLE, restrictToNamespaces } from './namespace-filter.js';
import { mayCall, type Principal } from './principal.js';
import { progressMessage, progressReporter, type ToolExtra } from './progress.js';
import { commandText } from './tool-inputs.js';
import type { OfferedTool } from './tools.js';

/** What tool calls need from the process: narrow, so tests can build it over any deps. */
export interface McpRuntime {
  context: ContextFactory;
  parse: ParseOptions;
  logger: Logger;
  /** Epoch seconds: `now` when the call gives none. */
  clock: () => number;
  /** A call running longer is stopped (`EGRESS_JOB_TIMEOUT`). */
  timeoutMs: number;
  /** Calls in flight; shutdown waits for them (within the grace period). */
  inflight: Set<Promise<unknown>>;
}

type Fields = Readonly<Record<string, string | undefined>>;

const failure = (text: string, requestId: string): CallToolResult => ({
  content: [{ type: 'text', text }],
  isError: true,
  _meta: { requestId },
});

/** Rows of a JSON answer, whatever the command calls them. */
function rowCount(json: Record<string, unknown>): number {
  const table = json.table as { rows?: unknown } | undefined;
  for (const v of [json.rows, table?.rows, json.history, json.domains, json.lines])
    if (Array.isArray(v)) return v.length;
  return 0;
}

/** The SDK callback of one tool, bound to the caller. */
export function toolHandler(rt: McpRuntime, principal: Principal, tool: OfferedTool) {
  return (fields: Fields, extra: ToolExtra): Promise<CallToolResult> => {
    const call = answer(rt, principal, tool, fields, extra);
    rt.inflight.add(call);
    call.finally(() => rt.inflight.delete(call)).catch(() => undefined);
    return call;
  };
}

async function answer(
  rt: McpRuntime,
  principal: Principal,
  tool: OfferedTool,
  fields: Fields,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const requestId = `mcp-${randomUUID()}`;
  const started = Date.now();
  const audit = (decision: 'allow' | 'deny', outcome: string, more: Record<string, unknown> = {}) =>
    rt.logger.info(
      { audit: 'mcp', client: principal.label, tool: tool.name, decision, outcome, requestId, ...more },
      `mcp ${tool.name} ${outcome}`,
    );
  if (!mayCall(principal, tool.name)) {
    audit('deny', 'denied', { reason: 'tool not allowed for this token' });
    const allowed = principal.tools === '*' ? [] : [...principal.tools].sort();
    return failure(
      `This token may not call \`${tool.name}\`; it may call ${allowed.join(', ') || 'no tool'}.`,
      requestId,
    );
  }
  if (principal.namespaces && !RESTRICTABLE.has(tool.name)) {
    audit('deny', 'denied', { reason: 'answers cannot be limited to namespaces' });
    return failure(
      `\`${tool.name}\` answers cannot be limited to namespaces, and this token is limited to some; ask for a token without a namespace limit.`,
      requestId,
    );
  }
  const timeout = AbortSignal.timeout(rt.timeoutMs);
  const signal = AbortSignal.any([extra.signal, timeout]);
  const reporter = progressReporter(extra, rt.logger);
  const progress = (message: string) => reporter.report(message);
  let text: string | undefined;
  try {
    text = commandText(tool.input, tool.spec.usage, fields);
    const cmd = parseCommand(text, rt.parse);
    const now = parseNow(fields.now, rt.clock, 'now');
    progress(describeCommand(cmd));
    const ctx = await rt.context(now, { signal, onProgress: (p) => progress(progressMessage(p)) });
    const full = await runCommand(cmd, ctx);
    const { answer, withheld } = principal.namespaces
      ? restrictToNamespaces(full, principal.namespaces)
      : { answer: full, withheld: 0 };
    const json = renderJson(answer);
    const body = renderText(answer);
    audit('allow', 'answered', {
      command: text,
      rows: rowCount(json),
      ...(principal.namespaces ? { withheld } : {}),
      bytes: Buffer.byteLength(JSON.stringify(json)),
      ms: Date.now() - started,
    });
    return { content: [{ type: 'text', text: body }], structuredContent: json, _meta: { requestId } };
  } catch (err) {
    const more = { command: text, ms: Date.now() - started };
    if (extra.signal.aborted) {
      audit('allow', 'cancelled', more);
      return failure('Cancelled by the client.', requestId);
    }
    if (timeout.aborted) {
      audit('allow', 'timeout', more);
      const limit = describeDuration(Math.round(rt.timeoutMs / 1000));
      return failure(`Stopped after ${limit} (EGRESS_JOB_TIMEOUT); ask for a shorter window.`, requestId);
    }
    if (isUserError(err)) {
      audit('allow', 'invalid', { ...more, code: err.code });
      return failure(err.message, requestId);
    }
    audit('allow', 'failed', { ...more, code: err instanceof EgressError ? err.code : undefined });
    rt.logger.error({ err, requestId, tool: tool.name }, 'mcp tool call failed');
    return failure(publicMessage(err), requestId);
  } finally {
    // Notifications still on their way must go before the result: one after it is a protocol error for the client.
    await reporter.flush();
  }
}
