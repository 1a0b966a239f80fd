/**
 * The resources the MCP server offers, assembled in {@link mcpResources} — the one list: `egress://coverage` joins it
 * when the data-coverage work lands.
 */
import { help } from '../commands/registry.js';

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

/** Every resource the server offers. */
export function mcpResources(): McpResource[] {
  return [helpResource];
}
