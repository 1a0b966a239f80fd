import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  DescribeFlowLogsResult$,
  DescribeInstancesResult$,
  DescribeNatGatewaysResult$,
  DescribeNetworkInterfacesResult$,
  type FlowLog,
  type Instance,
  type NatGateway,
  type NetworkInterface,
  type Tag,
} from '@aws-sdk/client-ec2';
import { listenLoopback } from './aws-listen.js';

/** Resources the fake serves, in the SDK's own shapes. Read live, so tests may mutate it between calls. */
export interface Ec2State {
  natGateways?: NatGateway[];
  flowLogs?: FlowLog[];
  networkInterfaces?: NetworkInterface[];
  instances?: Instance[];
}

/** One recorded request: `Action` plus the remaining form parameters, verbatim. */
export interface Ec2Call {
  action: string;
  params: Record<string, string>;
}

/** A running EC2 fake; point `EC2Client` at `url`. */
export interface Ec2Fake {
  url: string;
  state: Ec2State;
  calls: Ec2Call[];
  /** The next call to `action` fails with UnauthorizedOperation (HTTP 403). */
  denyNext(action: string, message?: string): void;
  close(): Promise<void>;
}

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const ACCOUNT = '123456789012';
// EC2 caps the total number of filter values per call; clients must batch beyond this.
const MAX_FILTER_VALUES = 200;

class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const deref = (ref: unknown): unknown => (typeof ref === 'function' ? (ref as () => unknown)() : ref);

/** Splits a struct/list member reference `[target, traits]` into its parts. */
function member(ref: unknown): { target: unknown; xmlName?: string } {
  if (!Array.isArray(ref) || ref.length !== 2) return { target: deref(ref) };
  const traits = ref[1] as unknown;
  const xmlName = typeof traits === 'object' && traits ? (traits as { xmlName?: string }).xmlName : undefined;
  return { target: deref(ref[0]), xmlName };
}

/**
 * Serialises `value` as EC2 XML by walking the SDK's own static schema, so element names
 * (`natGatewaySet`, `item`, `privateIpAddressesSet`, …) are exactly what its deserialiser reads.
 */
function toXml(schema: unknown, value: unknown): string {
  const s = deref(schema);
  if (Array.isArray(s)) {
    const [kind] = s as [number];
    if (kind === 3 || kind === 4) {
      const [, , , , names, refs] = s as [number, string, string, unknown, string[], unknown[]];
      const obj = value as Record<string, unknown>;
      return names
        .map((name, i) => {
          if (obj[name] === undefined || obj[name] === null) return '';
          const m = member(refs[i]);
          const el = m.xmlName ?? name;
          return `<${el}>${toXml(m.target, obj[name])}</${el}>`;
        })
        .join('');
    }
    if (kind === 1) {
      const m = member(s[4]);
      const el = m.xmlName ?? 'member';
      return (value as unknown[]).map((v) => `<${el}>${toXml(m.target, v)}</${el}>`).join('');
    }
    if (kind === 0) return toXml(s[4], value);
  }
  if (typeof s === 'number' && s & 64) {
    return (value as unknown[]).map((v) => `<member>${toXml(s & 63, v)}</member>`).join('');
  }
  if (value instanceof Date) return s === 7 ? String(value.getTime() / 1000) : value.toISOString();
  return escapeXml(String(value));
}

/** Collects `prefix.1`, `prefix.2`, … in index order. */
function listParam(params: Record<string, string>, prefix: string): string[] {
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
  return Object.entries(params)
    .map(([k, v]) => [Number(re.exec(k)?.[1]), v] as const)
    .filter(([n]) => !Number.isNaN(n))
    .sort(([a], [b]) => a - b)
    .map(([, v]) => v);
}

/** EC2 filter values accept `*` and `?` wildcards. */
const globMatch = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/** Values at a dotted path, flattening lists on the way (`PrivateIpAddresses.PrivateIpAddress`). */
const pluck = (obj: unknown, path: string): unknown[] =>
  path
    .split('.')
    .reduce<unknown[]>(
      (vals, key) => vals.flatMap((v) => [(v as Record<string, unknown> | undefined)?.[key]].flat()),
      [obj],
    );

/** How one Describe* action finds, filters and wraps its resources (SDK member names throughout). */
interface ActionSpec {
  output: unknown;
  items: keyof Ec2State;
  /** Both the `<id>.N` request parameter and the resource's id member. */
  id: string;
  notFound?: [code: string, message: (id: string) => string];
  /** EC2 filter name → member path(s) whose values it matches; `tag:<Key>`/`tag-key` use `tags`. */
  filters: Record<string, string | string[]>;
  tags: 'Tags' | 'TagSet';
  wrap: (page: unknown[]) => Record<string, unknown>;
}

const ACTIONS: Record<string, ActionSpec> = {
  DescribeNatGateways: {
    output: DescribeNatGatewaysResult$,
    items: 'natGateways',
    id: 'NatGatewayId',
    notFound: ['NatGatewayNotFound', (id) => `The Nat Gateway ${id} was not found`],
    filters: { 'vpc-id': 'VpcId', 'subnet-id': 'SubnetId', state: 'State', 'nat-gateway-id': 'NatGatewayId' },
    tags: 'Tags',
    wrap: (page) => ({ NatGateways: page }),
  },
  DescribeFlowLogs: {
    output: DescribeFlowLogsResult$,
    items: 'flowLogs',
    id: 'FlowLogId',
    filters: {
      'resource-id': 'ResourceId',
      'flow-log-id': 'FlowLogId',
      'log-destination-type': 'LogDestinationType',
      'traffic-type': 'TrafficType',
      'deliver-log-status': 'DeliverLogsStatus',
      'log-group-name': 'LogGroupName',
    },
    tags: 'Tags',
    wrap: (page) => ({ FlowLogs: page }),
  },
  DescribeNetworkInterfaces: {
    output: DescribeNetworkInterfacesResult$,
    items: 'networkInterfaces',
    id: 'NetworkInterfaceId',
    notFound: ['InvalidNetworkInterfaceID.NotFound', (id) => `The networkInterface ID '${id}' does not exist`],
    filters: {
      // Both address filters match any of the interface's private addresses, not just the primary.
      'addresses.private-ip-address': ['PrivateIpAddress', 'PrivateIpAddresses.PrivateIpAddress'],
      'private-ip-address': ['PrivateIpAddress', 'PrivateIpAddresses.PrivateIpAddress'],
      'network-interface-id': 'NetworkInterfaceId',
      'vpc-id': 'VpcId',
      'subnet-id': 'SubnetId',
      'interface-type': 'InterfaceType',
      description: 'Description',
      'requester-id': 'RequesterId',
      'attachment.instance-id': 'Attachment.InstanceId',
      'association.public-ip': 'Association.PublicIp',
      status: 'Status',
    },
    tags: 'TagSet',
    wrap: (page) => ({ NetworkInterfaces: page }),
  },
  DescribeInstances: {
    output: DescribeInstancesResult$,
    items: 'instances',
    id: 'InstanceId',
    notFound: ['InvalidInstanceID.NotFound', (id) => `The instance ID '${id}' does not exist`],
    filters: {
      'instance-id': 'InstanceId',
      'vpc-id': 'VpcId',
      'subnet-id': 'SubnetId',
      'private-ip-address': 'PrivateIpAddress',
      'instance-state-name': 'State.Name',
    },
    tags: 'Tags',
    // One reservation per instance keeps it simple; callers must flatten Reservations anyway.
    wrap: (page) => ({
      Reservations: page.map((i) => ({
        ReservationId: `r-${(i as Instance).InstanceId}`,
        OwnerId: ACCOUNT,
        Instances: [i],
      })),
    }),
  },
};

/** Candidate values of filter `name` on `item`, or undefined when EC2 has no such filter. */
function filterValues(action: ActionSpec, item: unknown, name: string): unknown[] | undefined {
  if (name === 'tag-key') return pluck(item, `${action.tags}.Key`);
  if (name.startsWith('tag:')) {
    const tags = pluck(item, action.tags) as Tag[];
    return tags.filter((t) => t?.Key === name.slice(4)).map((t) => t.Value);
  }
  const paths = action.filters[name];
  return paths === undefined ? undefined : [paths].flat().flatMap((p) => pluck(item, p));
}

function describe(action: ActionSpec, state: Ec2State, params: Record<string, string>) {
  const all: unknown[] = state[action.items] ?? [];
  const idOf = (t: unknown) => pluck(t, action.id)[0];
  const ids = listParam(params, action.id);
  const missing = ids.find((id) => !all.some((t) => idOf(t) === id));
  if (missing && action.notFound) throw new Ec2Error(action.notFound[0], action.notFound[1](missing));
  const filters = [...new Set(Object.keys(params).map((k) => /^Filter\.(\d+)\.Name$/.exec(k)?.[1]))]
    .filter((n): n is string => n !== undefined)
    .map((n) => ({ name: params[`Filter.${n}.Name`]!, values: listParam(params, `Filter.${n}.Value`) }));
  if (filters.reduce((sum, f) => sum + f.values.length, 0) > MAX_FILTER_VALUES) {
    throw new Ec2Error(
      'FilterLimitExceeded',
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
    );
  }
  const matching = all.filter((t) => {
    if (ids.length > 0 && !ids.includes(idOf(t) as string)) return false;
    return filters.every((f) => {
      const candidates = filterValues(action, t, f.name);
      if (!candidates) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
      return candidates.some((c) => typeof c === 'string' && f.values.some((p) => globMatch(p, c)));
    });
  });
  // NextToken is just an offset: opaque to clients, and enough to make SDK paginators page.
  const offset = params.NextToken ? Number(params.NextToken.replace(/^offset-/, '')) : 0;
  const max = params.MaxResults ? Number(params.MaxResults) : matching.length;
  const end = offset + max;
  const nextToken = end < matching.length ? { NextToken: `offset-${end}` } : {};
  return { ...action.wrap(matching.slice(offset, end)), ...nextToken };
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': randomUUID() });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

/** Starts an EC2 fake speaking the ec2Query protocol (form-encoded POST `/`, XML responses) on loopback. */
export async function startEc2Fake(state: Ec2State = {}): Promise<Ec2Fake> {
  const calls: Ec2Call[] = [];
  const denials: { action: string; message?: string }[] = [];
  const server = await listenLoopback((_req, body, res) => {
    const { Action: action = '', Version: _version, ...params } = Object.fromEntries(new URLSearchParams(body));
    calls.push({ action, params });
    const requestId = randomUUID();
    try {
      const denied = denials.findIndex((d) => d.action === action);
      if (denied !== -1) {
        const [d] = denials.splice(denied, 1);
        throw new Ec2Error(
          'UnauthorizedOperation',
          d!.message ??
            `You are not authorized to perform this operation. User is not authorized to perform: ec2:${action}`,
          403,
        );
      }
      const spec = ACTIONS[action];
      if (!spec) throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
      const result = toXml(spec.output, describe(spec, state, params));
      sendXml(
        res,
        200,
        `<${action}Response xmlns="${XMLNS}"><requestId>${requestId}</requestId>${result}</${action}Response>`,
      );
    } catch (err) {
      if (!(err instanceof Ec2Error)) throw err;
      const error = `<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message></Error>`;
      sendXml(res, err.status, `<Response><Errors>${error}</Errors><RequestID>${requestId}</RequestID></Response>`);
    }
  });
  return {
    url: server.url,
    state,
    calls,
    denyNext: (action, message) => {
      denials.push({ action, message });
    },
    close: () => server.close(),
  };
}
