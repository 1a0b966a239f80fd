/**
 * The JSON Schemas of a tool (zod, turned into JSON Schema by the SDK). Inputs are plain strings on purpose: the chat
 * parser validates them, so its fix-it messages come back; choices the usage line lists are shown to the agent as
 * `enum` (metadata only) so it need not guess. The output schema types the parts every answer has and leaves the rest
 * open, so a command that adds a field does not break its tool.
 */
import { z } from 'zod';
import {
  type ArgField,
  choicesOf,
  type OptionField,
  offeredArgs,
  offeredOptions,
  type ToolInput,
} from './tool-inputs.js';

const FIELD_DOCS: Record<ArgField | OptionField | 'now', { description: string; examples: string[] }> = {
  ip: { description: 'An IPv4 or IPv6 address.', examples: ['142.250.80.46'] },
  name: {
    description: 'A DNS name, or a wildcard over a suffix ("*." and at least two labels).',
    examples: ['telemetry.vendorx.io', '*.vendorx.io'],
  },
  cidr: { description: 'An address range in CIDR notation.', examples: ['142.250.0.0/16'] },
  selector: {
    description:
      'A workload ("namespace/name" or "namespace/Kind/name"), a whole namespace ("namespace/*"), one pod ("namespace/pod-name") or a pod IP.',
    examples: ['payments/ledger-api', 'payments/*'],
  },
  window: {
    description: 'How far back from `now`: a number followed by h or d. Default: the command’s (7d for most).',
    examples: ['24h', '7d'],
  },
  by: { description: 'How to group the answer.', examples: [] },
  for: { description: 'Which draft to produce (default: all).', examples: [] },
  collapse: {
    description:
      '"true": one *.parent pattern for names that share a parent of three labels or more (default "false").',
    examples: [],
  },
  now: {
    description: 'Answer as of this time, ISO-8601; the window ends here. Default: the current time.',
    examples: ['2026-11-20T12:00:00Z'],
  },
};

const text = (field: keyof typeof FIELD_DOCS, choices?: string[]) => {
  const doc = FIELD_DOCS[field];
  return z
    .string()
    .max(512)
    .meta({
      description: doc.description,
      ...(choices ? { enum: choices } : {}),
      ...(doc.examples.length ? { examples: doc.examples } : {}),
    });
};

/**
 * The input schema of a command's tool: its offered fields, `now`, and nothing else. Every field is optional to zod,
 * so a missing argument reaches the parser and gets its fix-it message; the JSON Schema still tells the agent that
 * the argument is required (`required`, or `oneOf` when it has alternatives).
 */
export function inputSchema(input: ToolInput, usage: string) {
  const args = offeredArgs(input, usage);
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const a of args) shape[a] = text(a).optional();
  for (const o of offeredOptions(input, usage)) shape[o] = text(o, choicesOf(usage, o)).optional();
  shape.now = text('now').optional();
  const required =
    args.length === 1 ? { required: args } : args.length > 1 ? { oneOf: args.map((a) => ({ required: [a] })) } : {};
  return z.object(shape).strict().meta(required);
}

/** The output schema of a command's tool: `command`, `window`, `stats`, `skipped`, `notes` typed; the rest open. */
export function outputSchema(command: string) {
  return z.looseObject({
    command: z.literal(command),
    window: z.looseObject({ from: z.string(), to: z.string() }).optional(),
    stats: z
      .looseObject({
        engine: z.enum(['duckdb', 'athena']),
        bytesScanned: z.int().nonnegative(),
        costUsd: z.number().nonnegative(),
        reused: z.boolean(),
        queryExecutionIds: z.array(z.string()),
      })
      .optional(),
    skipped: z.array(z.looseObject({ key: z.string(), reason: z.string() })),
    notes: z.array(z.string()).optional(),
  });
}
