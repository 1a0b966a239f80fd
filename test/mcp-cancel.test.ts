/**
 * Cancellation over HTTP: the client aborts a call whose query is held at a gate; the cancel notification reaches the
 * session's server, the handler's signal aborts, and the engine sees it (the real engines then interrupt DuckDB or
 * stop the Athena query). The call is audited as cancelled, and the session keeps answering.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gate } from './queue-helpers.js';
import { type McpHarness, NOW, startMcpHarness } from './support/mcp-harness.js';

const TOKEN = 'cancel-test-token-0123456789';
const g = gate();
let h: McpHarness;

beforeAll(async () => {
  h = await startMcpHarness({ tokens: { [TOKEN]: { tools: '*' } }, engine: g.wrap });
}, 120_000);
afterAll(() => h?.close());

it('aborting a call aborts the engine query it is running', async () => {
  const client = await h.connect(TOKEN);
  const controller = new AbortController();
  const call = client.callTool({ name: 'top', arguments: { window: '7d', now: NOW } }, undefined, {
    signal: controller.signal,
  });
  await g.entered;
  expect(g.signals).toHaveLength(1);
  const engineSignal = g.signals[0] as AbortSignal;
  expect(engineSignal.aborted).toBe(false);
  const aborted = new Promise<void>((resolve) => engineSignal.addEventListener('abort', () => resolve()));
  controller.abort('the agent moved on');
  await expect(call).rejects.toThrow(/moved on|abort/i);
  await aborted;
  expect(engineSignal.aborted).toBe(true);
  // The audit line is written once the handler has seen the abort.
  for (let i = 0; i < 100 && !h.logs().some((l) => l.outcome === 'cancelled'); i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(h.logs().filter((l) => l.audit === 'mcp' && l.tool === 'top')).toEqual([
    expect.objectContaining({ decision: 'allow', outcome: 'cancelled', command: 'top last 7d' }),
  ]);
  // The same session answers the next question (the gate is open now).
  g.release();
  const next = await client.callTool({ name: 'rejects', arguments: { window: '7d', now: NOW } });
  expect(next.isError).toBeFalsy();
});
