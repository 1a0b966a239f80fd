/** The resources the MCP server offers, assembled in {@link mcpResources}: the one list. */
import { recentCoverage } from '../commands/recent-coverage.js';
import { help } from '../commands/registry.js';
import { coverageJson } from '../render/coverage.js';
import type { McpRuntime } from './call-tool.js';

/** A static text resource. */
export interface McpResource {
  name: string;
  uri: string;
  title: string;
  description: string;
  mimeType: string;
  read(): Promise<string>;
}

/** `egress://help`: every command's grammar and an example, as `help` answers in chat. */
const helpResource: McpResource = {
  name: 'help',
  uri: 'egress://help',
  title: 'egress commands',
  description: 'Every egress command with its grammar and an example (the chat `help`).',
  mimeType: 'text/plain',
  read: async () => help().lines.join('\n'),
};

/**
 * `egress://coverage`: what the log data of the last 24 hours covers (lag, gaps, SKIPDATA/NODATA, unreadable lines,
 * missing fields, attribution source) — read it before trusting an empty answer.
 */
const coverageResource = (rt: McpRuntime): McpResource => ({
  name: 'coverage',
  uri: 'egress://coverage',
  title: 'egress data coverage (last 24 h)',
  description:
    'How far flow-log and resolver-log delivery has got, hours without data, records AWS dropped (SKIPDATA), unreadable lines, formats lacking fields, and which Kubernetes source attributes pods — over the last 24 hours.',
  mimeType: 'application/json',
  read: async () => {
    const now = rt.clock();
    const coverage = await recentCoverage(await rt.context(now));
    return JSON.stringify({ from: new Date((now - 86_400) * 1000).toISOString(), ...coverageJson(coverage) }, null, 2);
  },
});

/** Every resource the server offers. */
export function mcpResources(rt: McpRuntime): McpResource[] {
  return [helpResource, coverageResource(rt)];
}
