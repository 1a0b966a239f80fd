/**
 * The policy drafts as objects: NetworkPolicy validated with kubernetes-models (and for unknown fields),
 * CiliumNetworkPolicy against a schema written here from the documented cilium.io/v2 fields, both parsed back from
 * their YAML; the builders' rules (grouping, labels, --collapse, ports); and a > 200-destination answer in Slack.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { NetworkPolicy as K8sNetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { FromRow } from '../src/commands/from-rows.js';
import { parseCommand } from '../src/commands/parse.js';
import type { PolicyAnswer } from '../src/commands/policy.js';
import { ciliumPolicy, collapseNames } from '../src/commands/policy-cilium.js';
import { commonLabels, type PolicyDestination, policyDestinations } from '../src/commands/policy-destinations.js';
import { dnsFirewall } from '../src/commands/policy-dns-firewall.js';
import { networkPolicy } from '../src/commands/policy-network.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { AnswerPoster } from '../src/post/answer-poster.js';
import { replies } from '../src/post/replies.js';
import { SLACK_LIMITS } from '../src/render/blocks-kit.js';
import { policyDocuments, policyFiles, policyYaml } from '../src/render/policy-yaml.js';
import { startSlackApiFake } from './fakes/slack-api.js';
import { CILIUM } from './support/cilium-schema.js';
import { unknownFields } from './support/k8s-strict.js';

const row = (externalIp: string, names: string[], dstPort = 443, protocol = 6, flows = 1, rejected = 0): FromRow => ({
  externalIp,
  dstPort,
  protocol,
  names,
  pods: ['api-1'],
  flows,
  rejected,
  bytesOut: 100,
  bytesIn: 1000,
  firstSeen: 0,
  lastSeen: 0,
  new: false,
});
const target = { name: 'api-egress', namespace: 'shop', matchLabels: { 'app.kubernetes.io/name': 'api' } };
const ROWS = [
  row('52.216.8.40', ['b.s3.us-east-1.amazonaws.com']),
  row('2600:1ffd:8001::5', ['b.s3.us-east-1.amazonaws.com']), // same name: one destination, two addresses
  row('185.199.40.10', ['eu.api.carrierhub.io']),
  row('185.199.41.10', ['us.api.carrierhub.io']),
  row('185.199.41.10', ['us.api.carrierhub.io'], 8443),
  row('9.9.9.9', [], 53, 17),
  row('203.0.113.9', [], 0, 1), // ICMP: no port NetworkPolicy or Cilium can name
  row('203.0.113.50', [], 25, 6, 2, 2), // refused only
];

function answer(destinations: PolicyDestination[], collapse = false): PolicyAnswer {
  return {
    command: 'policy',
    label: 'last 30d',
    window: { from: 0, to: 30 * 86_400 },
    selector: { kind: 'named', namespace: 'shop', name: 'api' },
    matched: 'workload',
    workloads: [{ namespace: 'shop', kind: 'Deployment', name: 'api' }],
    pods: ['api-1'],
    kinds: ['cilium', 'kubernetes', 'dns-firewall'],
    collapse,
    podSelector: target.matchLabels,
    destinations,
    rejected: [],
    cilium: ciliumPolicy(target, destinations, collapse),
    networkPolicy: networkPolicy(target, destinations),
    dnsFirewall: dnsFirewall('shop-api', destinations, collapse),
    skipped: [],
    notes: [],
  };
}

describe('policy drafts', () => {
  const { destinations, rejected } = policyDestinations(ROWS);
  const a = answer(destinations);

  it('groups ACCEPTed rows by names, sorts addresses by value and sets refused-only ones apart', () => {
    expect(destinations.map((d) => [d.names, d.addresses, d.ports.map((p) => `${p.protocol}/${p.port}`)])).toEqual([
      [['b.s3.us-east-1.amazonaws.com'], ['52.216.8.40', '2600:1ffd:8001::5'], ['6/443']],
      [['eu.api.carrierhub.io'], ['185.199.40.10'], ['6/443']],
      [['us.api.carrierhub.io'], ['185.199.41.10'], ['6/443', '6/8443']],
      [[], ['9.9.9.9'], ['17/53']],
      [[], ['203.0.113.9'], ['1/0']],
    ]);
    expect(rejected).toEqual([{ address: '203.0.113.50', port: 25, protocol: 6, attempts: 2 }]);
  });

  it('NetworkPolicy: valid for kubernetes-models, no unknown field, /32 and /128 blocks, ICMP left open on ports', () => {
    const np = a.networkPolicy as NonNullable<PolicyAnswer['networkPolicy']>;
    expect(() => new K8sNetworkPolicy(structuredClone(np) as never).validate()).not.toThrow();
    expect(unknownFields(np)).toEqual([]);
    expect(np.spec.egress[1]?.to).toEqual([
      { ipBlock: { cidr: '52.216.8.40/32' } },
      { ipBlock: { cidr: '2600:1ffd:8001::5/128' } },
    ]);
    expect(np.spec.egress[5]).toEqual({ to: [{ ipBlock: { cidr: '203.0.113.9/32' } }] });
    const broken = structuredClone(np) as { spec: { egress: Array<{ ports?: unknown[] }> } };
    broken.spec.egress[1]?.ports?.push({ protocol: 'HTTP', port: 80 });
    expect(() => new K8sNetworkPolicy(broken as never).validate()).toThrow();
  });

  it('CiliumNetworkPolicy: valid against the cilium.io/v2 schema; the schema catches what Cilium would refuse', () => {
    expect(CILIUM.safeParse(a.cilium).error?.issues).toBeUndefined();
    const rules = a.cilium?.spec.egress ?? [];
    // Names per port set: 443 alone, then 443 + 8443; the ICMP and DNS addresses have no name: not here.
    expect(rules.slice(1).map((r) => [r.toFQDNs, r.toPorts?.[0]?.ports])).toEqual([
      [
        [{ matchName: 'b.s3.us-east-1.amazonaws.com' }, { matchName: 'eu.api.carrierhub.io' }],
        [{ port: '443', protocol: 'TCP' }],
      ],
      [
        [{ matchName: 'us.api.carrierhub.io' }],
        [
          { port: '443', protocol: 'TCP' },
          { port: '8443', protocol: 'TCP' },
        ],
      ],
    ]);
    const noDns = { ...structuredClone(a.cilium), spec: { ...a.cilium?.spec, egress: rules.slice(1) } };
    expect(CILIUM.safeParse(noDns).success).toBe(false);
    const typo = structuredClone(a.cilium) as unknown as { spec: { egress: Array<Record<string, unknown>> } };
    (typo.spec.egress[1] as Record<string, unknown>).toFQDN = [];
    expect(CILIUM.safeParse(typo).success).toBe(false);
  });

  it('the YAML drafts parse back to the same objects, each NetworkPolicy rule commented with its names', () => {
    const text = policyYaml(a);
    const docs = parseAllDocuments(text);
    expect(docs.map((d) => d.toJS())).toEqual([a.cilium, a.networkPolicy, a.dnsFirewall?.template]);
    expect(text).toContain('    # b.s3.us-east-1.amazonaws.com\n    - to:');
    expect(text.match(/# no DNS name seen\n/g)).toHaveLength(2);
    for (const f of policyFiles(a).filter((x) => x.filename.endsWith('.yaml')))
      expect(parse(f.content)).toEqual(
        policyDocuments(a)
          .find((d) => d.kind === f.kind)
          ?.doc.toJS(),
      );
    expect(policyYaml(a)).toBe(text);
  });

  it('--collapse: one pattern per shared parent of three labels or more, never below a provider zone', () => {
    const names = [
      'eu.api.carrierhub.io',
      'us.api.carrierhub.io',
      'a.example.com',
      'b.example.com',
      'sqs.us-east-1.amazonaws.com',
      'sts.us-east-1.amazonaws.com',
      'x.s3.us-east-1.amazonaws.com',
      'y.s3.us-east-1.amazonaws.com',
      'solo.acme.dev',
    ];
    expect(collapseNames(names, true)).toEqual([
      { matchPattern: '*.api.carrierhub.io' },
      { matchPattern: '*.s3.us-east-1.amazonaws.com' },
      { matchName: 'a.example.com' },
      { matchName: 'b.example.com' },
      { matchName: 'solo.acme.dev' },
      { matchName: 'sqs.us-east-1.amazonaws.com' },
      { matchName: 'sts.us-east-1.amazonaws.com' },
    ]);
    expect(collapseNames(names, false)).toHaveLength(names.length);
  });

  it('selects pods by the labels they all share, without the ones controllers change on every rollout', () => {
    const h = (pod: string, l: Record<string, string>) => ({
      ip: '10.0.0.1',
      pod,
      namespace: 'shop',
      workload: null,
      labels: l,
    });
    expect(
      commonLabels([
        h('a', { app: 'api', tier: 'web', 'pod-template-hash': '1', version: 'v1' }),
        h('b', { app: 'api', tier: 'web', 'pod-template-hash': '2', version: 'v2' }),
      ]),
    ).toEqual({ app: 'api', tier: 'web' });
    expect(commonLabels([h('a', { 'controller-uid': 'x', 'job-name': 'j-1' })])).toEqual({});
  });

  it('parses its grammar: 30 days by default, `for` lists, --collapse however Slack writes it', () => {
    const opts = { maxWindowSeconds: 90 * 86_400, classifier: createClassifier([]) };
    expect(parseCommand('policy shop/api', opts)).toMatchObject({
      window: { amount: 30, unit: 'd' },
      kinds: ['cilium', 'kubernetes', 'dns-firewall'],
      collapse: false,
    });
    expect(parseCommand('policy shop/api for dns-firewall,cilium —collapse last 7d', opts)).toMatchObject({
      window: { amount: 7 },
      kinds: ['cilium', 'dns-firewall'],
      collapse: true,
    });
    expect(() => parseCommand('policy shop/api for calico', opts)).toThrow(
      /takes cilium, kubernetes, dns-firewall \(not "calico"\)/,
    );
  });
});

describe('a workload with more than 200 destinations', () => {
  const many = policyDestinations(
    // svc249 sends the most, svc000 the least.
    Array.from({ length: 250 }, (_, i) => ({
      ...row(`203.0.${Math.floor(i / 200)}.${(i % 200) + 1}`, [`svc${String(i).padStart(3, '0')}.example.com`]),
      bytesOut: 100 + i,
    })),
  ).destinations;
  const a = answer(many);

  it('is summarised inline within Slack limits, with every destination in the files', () => {
    const rs = replies(a);
    const messages = rs.flatMap((r) => (r.kind === 'message' ? [r.message] : []));
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      for (const b of m.blocks)
        if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    const text = JSON.stringify(messages);
    expect(text).toContain('*Top 25 of 250 destinations* by bytes out');
    expect(text).toContain('svc249.example.com');
    expect(text).not.toContain('svc224.example.com'); // the 26th and smaller are only in the files
    const files = rs.flatMap((r) => (r.kind === 'file' ? [r] : []));
    expect(files.map((f) => f.filename)).toEqual([
      'egress-policy-shop-api-cilium.yaml',
      'egress-policy-shop-api-kubernetes.yaml',
      'egress-policy-shop-api-dns-firewall.yaml',
      'egress-policy-shop-api-domains.txt',
    ]);
    expect(parse(files[1]?.content ?? '').spec.egress).toHaveLength(251);
    expect((files[3]?.content ?? '').trim().split('\n')).toHaveLength(250);
  });

  it('goes up to Slack as thread replies and files (files.uploadV2), every draft whole', async () => {
    const fake = await startSlackApiFake();
    try {
      const client = new WebClient('xoxb-x', { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
      const state = { channel: 'C1', user: 'U1', parent_ts: '1795000000.000100' };
      const job = { data: state, save: async (patch: object) => void Object.assign(state, patch) };
      await new AnswerPoster(client, job, pino({ level: 'silent' })).postReplies(replies(a));
      const ups = fake.uploads.filter((u) => u.completed);
      expect(ups.map((u) => [u.filename, u.thread_ts])).toEqual(
        policyFiles(a).map((f) => [f.filename, '1795000000.000100']),
      );
      const np = ups.find((u) => u.filename.endsWith('-kubernetes.yaml'));
      expect(parse(np?.bytes.toString('utf8') ?? '')).toEqual(a.networkPolicy);
    } finally {
      await fake.close();
    }
  });
});
