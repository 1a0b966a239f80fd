/**
 * The tool table: one entry per data command of the registry (help is a resource), entries for commands still to land
 * offered only once the registry has them, fields only where the usage line shows them, the command text the fields
 * make (parsed by the chat parser), and the namespace rule of each answer kind.
 */
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { describe, expect, it } from 'vitest';
import type { FlowRow } from '../src/commands/answer.js';
import { parseCommand } from '../src/commands/parse.js';
import { type Answer, COMMANDS } from '../src/commands/registry.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { RESTRICTABLE, restrictToNamespaces } from '../src/mcp/namespace-filter.js';
import { commandText, TOOL_INPUTS } from '../src/mcp/tool-inputs.js';
import { inputSchema } from '../src/mcp/tool-schemas.js';
import { offeredTools } from '../src/mcp/tools.js';

const entry = (name: string) => TOOL_INPUTS.find((t) => t.command === name) ?? TOOL_INPUTS[0];
const parse = { maxWindowSeconds: 90 * 86_400, classifier: createClassifier([]) };

describe('the table', () => {
  it('has an entry for every command of the registry but help (a new command needs one)', () => {
    const names = COMMANDS.map((c) => c.name).filter((n) => n !== 'help');
    expect(offeredTools().map((t) => t.name)).toEqual(names.length ? expect.arrayContaining(names) : []);
    expect(offeredTools()).toHaveLength(names.length);
  });

  it('offers `from` and `policy` now that the registry has them, `for` with its choices', () => {
    const later = offeredTools();
    expect(later.map((t) => t.name)).toEqual(expect.arrayContaining(['from', 'policy']));
    const policy = later.find((t) => t.name === 'policy');
    const schema = toJsonSchemaCompat(inputSchema(entry('policy'), policy?.spec.usage ?? ''));
    expect(Object.keys(schema.properties as object)).toEqual(['selector', 'window', 'for', 'collapse', 'now']);
    expect((schema.properties as Record<string, unknown>).collapse).toMatchObject({ enum: ['true', 'false'] });
    const usage = policy?.spec.usage ?? '';
    const text = (fields: Record<string, string>) => commandText(entry('policy'), usage, fields);
    expect(text({ selector: 'shop/api', for: 'cilium', collapse: 'true' })).toBe(
      'policy shop/api for cilium --collapse',
    );
    expect(text({ selector: 'shop/api', collapse: 'false' })).toBe('policy shop/api');
    expect(() => text({ selector: 'shop/api', collapse: 'yes' })).toThrow('"collapse" takes "true" or "false".');
    expect(parseCommand(text({ selector: 'shop/api', collapse: 'true' }), parse)).toMatchObject({ collapse: true });
    expect((schema.properties as Record<string, unknown>).for).toMatchObject({
      enum: ['cilium', 'kubernetes', 'dns-firewall'],
    });
    expect(schema.required).toEqual(['selector']);
  });

  it('offers who’s name and cidr fields when its usage line shows them, as exactly one of three', () => {
    const today = toJsonSchemaCompat(inputSchema(entry('who'), 'who <ip> [last N(h|d)]'));
    expect(Object.keys(today.properties as object)).toEqual(['ip', 'window', 'now']);
    const later = toJsonSchemaCompat(inputSchema(entry('who'), 'who <ip|name|cidr> [last N(h|d)]'));
    expect(Object.keys(later.properties as object)).toEqual(['ip', 'name', 'cidr', 'window', 'now']);
    expect(later.oneOf).toEqual([{ required: ['ip'] }, { required: ['name'] }, { required: ['cidr'] }]);
    expect(later.required).toBeUndefined();
  });
});

describe('fields → command text → the chat parser', () => {
  it('writes what a person would type', () => {
    const usage = (n: string) => COMMANDS.find((c) => c.name === n)?.usage ?? '';
    expect(commandText(entry('who'), usage('who'), { ip: '142.250.80.46', window: '24h' })).toBe(
      'who 142.250.80.46 last 24h',
    );
    expect(commandText(entry('top'), usage('top'), { by: 'destination', window: '1d' })).toBe(
      'top last 1d by destination',
    );
    expect(commandText(entry('rejects'), usage('rejects'), {})).toBe('rejects');
    expect(parseCommand(commandText(entry('cost'), usage('cost'), { by: 'namespace' }), parse)).toMatchObject({
      name: 'cost',
      by: 'namespace',
    });
  });

  it('refuses two arguments at once and values that carry more grammar', () => {
    const who = 'who <ip|name|cidr> [last N(h|d)]';
    expect(() => commandText(entry('who'), who, { ip: '1.2.3.4', name: 'x.example.com' })).toThrow(
      'Give one of ip, name, cidr, not ip and name.',
    );
    expect(() => commandText(entry('who'), who, { ip: '1.2.3.4 last 90d' })).toThrow(
      '"ip" takes one value without spaces, e.g. "142.250.80.46".',
    );
    expect(() => commandText(entry('who'), who, { ip: '1.2.3.4', window: '' })).toThrow(/"window" takes one value/);
  });
});

describe('namespace rules', () => {
  const row = (podIp: string, namespace: string | null): FlowRow => ({
    podIp,
    externalIp: '142.250.80.46',
    dstPort: 443,
    protocol: 6,
    workload: namespace ? { namespace, kind: 'Deployment', name: 'api' } : null,
    pod: namespace ? `api-${podIp}` : null,
    flows: 1,
    rejected: 0,
    bytesOut: 10,
    bytesIn: 20,
    firstSeen: 0,
    lastSeen: 0,
  });
  const base = { label: 'last 7d', window: { from: 0, to: 1 }, skipped: [], notes: [] };
  const only = new Set(['payments']);

  it('who: rows of other and unknown namespaces go, the names stay only with rows left', () => {
    const domains = [{ name: 'www.googleapis.com', cnames: [], queries: 1, firstSeen: 0, lastSeen: 0 }];
    const a: Answer = { ...base, command: 'who', ip: '142.250.80.46', domains, rows: [row('10.0.0.1', 'payments')] };
    const kept = restrictToNamespaces({ ...a, rows: [...a.rows, row('10.0.0.2', 'web'), row('10.0.0.3', null)] }, only);
    expect(kept.withheld).toBe(2);
    expect(kept.answer).toMatchObject({ rows: a.rows, domains });
    const none = restrictToNamespaces({ ...a, rows: [row('10.0.0.2', 'web')] }, only);
    expect(none.answer).toMatchObject({ rows: [], domains: [] });
    expect(none.answer.notes).toEqual([
      'restricted to namespaces payments: withheld 1 row of other or unknown namespaces and the names that resolved to it',
    ]);
  });

  it('tables: by workload label or namespace cell; destinations and totals are withheld', () => {
    const table = (columns: string[], rows: Array<Record<string, string | number>>) => ({
      ...base,
      command: 'top' as const,
      table: { columns, rows, total: { bytes_out: 3 } },
    });
    const byWorkload = restrictToNamespaces(
      table(
        ['workload', 'bytes_out'],
        [
          { workload: 'payments/Deployment/api', bytes_out: 1 },
          { workload: 'web/Deployment/payments', bytes_out: 1 },
          { workload: 'Node/ip-10-0-0-1', bytes_out: 1 },
          { workload: '(unattributed) 10.0.0.9', bytes_out: 1 },
        ],
      ),
      only,
    );
    expect(byWorkload.answer).toMatchObject({ table: { rows: [{ workload: 'payments/Deployment/api' }] } });
    expect(byWorkload.answer.command === 'top' && byWorkload.answer.table.total).toBe(undefined);
    expect(byWorkload.answer.notes.at(-1)).toMatch(/withheld 3 rows of other or unknown namespaces and the total$/);
    const byNamespace = restrictToNamespaces(
      table(['namespace'], [{ namespace: 'payments' }, { namespace: 'web' }]),
      only,
    );
    expect(byNamespace.withheld).toBe(1);
    const byDestination = restrictToNamespaces(table(['destination'], [{ destination: '142.250.80.46' }]), only);
    expect(byDestination.withheld).toBe(1);
  });

  it('cost: the 30-day projection and the AWS savings sum over every namespace, so they go with the total', () => {
    const a = {
      ...base,
      table: { columns: ['namespace'], rows: [{ namespace: 'payments' }, { namespace: 'web' }], total: { bytes: 3 } },
      command: 'cost',
      by: 'namespace',
      projection30dUsd: 1.5,
      avoidable: [{ service: 's3' }],
      unlabelled: [{ network: '10.60.0.0/16', addresses: ['10.60.3.7'] }],
    } as unknown as Answer;
    const r = restrictToNamespaces(a, only);
    expect(r.answer).toMatchObject({ projection30dUsd: null, avoidable: [] });
    expect(r.answer).not.toHaveProperty('unlabelled');
    expect(r.answer.notes.at(-1)).toMatch(
      /the 30-day projection and the AWS-service savings and the unlabelled ranges$/,
    );
  });

  it('policy: the drafts only when every selected pod is in an allowed namespace', () => {
    const policy = (namespace: string, workloads: string[]) =>
      ({
        ...base,
        command: 'policy',
        selector: { kind: 'namespace', namespace },
        workloads: workloads.map((ns) => ({ namespace: ns, kind: 'Deployment', name: 'api' })),
        pods: ['api-1'],
        destinations: [{ names: ['x.example.com'], addresses: ['1.2.3.4'], ports: [] }],
        rejected: [],
        cilium: { kind: 'CiliumNetworkPolicy' },
        networkPolicy: { kind: 'NetworkPolicy' },
        dnsFirewall: { domains: ['x.example.com'] },
      }) as unknown as Answer;
    expect(restrictToNamespaces(policy('payments', ['payments']), only).withheld).toBe(0);
    const other = restrictToNamespaces(policy('web', ['web']), only);
    expect(other.withheld).toBe(1);
    expect(other.answer).toMatchObject({ destinations: [], cilium: null, networkPolicy: null, dnsFirewall: null });
  });

  it('every restrictable command has a rule, and only those', () => {
    const names = COMMANDS.map((c) => c.name).filter((n) => n !== 'help');
    for (const n of names) {
      const a = {
        ...base,
        command: n,
        rows: [],
        domains: [],
        history: [],
        table: { columns: [], rows: [] },
        avoidable: [],
        workloads: [],
        selector: { kind: 'ip', ip: '10.0.0.1' },
        destinations: [],
      };
      const run = () => restrictToNamespaces(a as unknown as Answer, only);
      if (RESTRICTABLE.has(n)) expect(run, n).not.toThrow();
      else expect(run, n).toThrow(`no namespace rule for ${n}`);
    }
  });
});
