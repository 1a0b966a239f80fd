/** The tools a server offers: one per entry of the input table whose command the registry has. */
import { COMMANDS } from '../commands/registry.js';
import { TOOL_INPUTS, type ToolInput } from './tool-inputs.js';

/** A command spec as a tool uses it. */
export interface ToolSpec {
  name: string;
  usage: string;
  summary: string;
  examples: readonly string[];
}

/** A tool: its name (the command's), its input entry and the command's spec. */
export interface OfferedTool {
  name: string;
  input: ToolInput;
  spec: ToolSpec;
}

/** The tools for the registry's commands, in the table's order; `help` is a resource, not a tool. */
export function offeredTools(commands: readonly ToolSpec[] = COMMANDS): OfferedTool[] {
  return TOOL_INPUTS.flatMap((input) => {
    const spec = commands.find((c) => c.name === input.command);
    return spec ? [{ name: input.command, input, spec }] : [];
  });
}

/** Every tool name a token may list: today's tools and those whose commands are still to land. */
export const KNOWN_TOOL_NAMES: readonly string[] = TOOL_INPUTS.map((t) => t.command);
