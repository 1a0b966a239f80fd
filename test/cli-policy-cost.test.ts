/**
 * The CLI contract of `policy` and of `cost`'s VPC-endpoint savings, 30-day projection and networks on the sample
 * world, against the answers worked out by hand in dev/sample/expected-aws.ts — on both engines (DuckDB over the
 * mirror; Athena through the real SDK against the fake, which runs the same SQL on DuckDB).
 */
import path from 'node:path';
import { NetworkPolicy as K8sNetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXPECTED } from '../dev/sample/expected.js';
import { EXPECTED_AWS } from '../dev/sample/expected-aws.js';
import { main } from '../src/cli.js';
import { type AwsWorld, startAwsWorld } from './fakes/athena-world.js';
import { CILIUM } from './support/cilium-schema.js';
import { unknownFields } from './support/k8s-strict.js';
import { runCli } from './support/run-cli.js';

let w: AwsWorld;
const ENGINES = ['duckdb', 'athena'] as const;
type Engine = (typeof ENGINES)[number];
const P = EXPECTED_AWS.policy_catalog;

async function run(text: string, engine: Engine, o: { format?: string; ranges?: boolean; env?: object } = {}) {
  const where = engine === 'duckdb' ? ['--engine', 'duckdb', '--data', w.dir] : ['--engine', 'athena'];
  const args = [
    ...text.split(' '),
    ...['--now', EXPECTED.now, '--format', o.format ?? 'json', '--k8s', path.join(w.dir, 'k8s-snapshot.json')],
    ...(o.ranges ? ['--ip-ranges', path.join(w.dir, 'ip-ranges.json')] : []),
    ...where,
  ];
  return runCli(args, { ...w.egressEnv, ...o.env });
}

async function json(text: string, engine: Engine, o: { ranges?: boolean; env?: object } = {}) {
  const r = await run(text, engine, o);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

beforeAll(async () => {
  w = await startAwsWorld();
  for (const [k, v] of Object.entries(w.awsEnv)) vi.stubEnv(k, v);
  let out = '';
  const io = { out: (s: string) => (out += s), err: (s: string) => (out += s), env: w.egressEnv, clock: () => 0 };
  if ((await main(['setup'], io)) !== 0) throw new Error(out);
}, 120_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await w?.close();
});

const pick = (rows: Array<Record<string, unknown>>, keys: readonly string[]) =>
  rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

describe.each(ENGINES)('policy (%s)', (engine) => {
  it('drafts all three for a labelled workload from its ACCEPTed egress', async () => {
    const a = await json('policy shop/catalog-api', engine);
    expect(a).toMatchObject({ command: 'policy', selector: 'shop/catalog-api', window: P.window, matched: 'workload' });
    expect(a.pods).toEqual(P.pods);
    expect(a.podSelector).toEqual(P.podSelector);
    expect(a.destinations).toEqual(P.destinations);
    expect(a.rejected).toEqual([]);
    const [dnsRule, fqdn, ...more] = a.cilium.spec.egress;
    expect(a.cilium.spec.endpointSelector).toEqual({ matchLabels: P.podSelector });
    expect(dnsRule.toEndpoints[0].matchLabels['k8s:k8s-app']).toBe('kube-dns');
    expect(fqdn).toEqual({
      toFQDNs: P.ciliumNames.map((matchName) => ({ matchName })),
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    expect(more).toEqual([]);
    const np = a.networkPolicy;
    expect(np.spec.policyTypes).toEqual(['Egress']);
    expect(
      np.spec.egress.slice(1).map((r: { to: Array<{ ipBlock: { cidr: string } }> }) => r.to[0]?.ipBlock.cidr),
    ).toEqual(P.ipBlocks);
    expect(np.spec.egress.at(-1).ports).toEqual([{ protocol: 'TCP', port: 8883 }]);
    expect(a.dnsFirewall.domains).toEqual(P.domains);
    expect(a.dnsFirewall.ruleGroup.FirewallRules.map((r: { Action: string }) => r.Action)).toEqual(['ALLOW', 'ALERT']);
    expect(a.notes.join('\n')).toMatch(/1 address with no DNS name seen \(198\.51\.100\.23\)/);
    expect(() => new K8sNetworkPolicy(a.networkPolicy).validate()).not.toThrow();
    expect(unknownFields(a.networkPolicy)).toEqual([]);
    expect(CILIUM.safeParse(a.cilium).error?.issues).toBeUndefined();
  });

  it('--collapse merges names under a shared suffix, never under a shared AWS zone', async () => {
    const a = await json('policy shop/catalog-api last 30d --collapse', engine);
    const fqdn = a.cilium.spec.egress[1].toFQDNs.map((s: Record<string, string>) => s.matchPattern ?? s.matchName);
    expect(fqdn).toEqual(P.collapsed);
    expect(a.dnsFirewall.domains).toEqual(P.collapsed);
    expect(a.networkPolicy.spec.egress).toHaveLength(P.ipBlocks.length + 1);
  });

  it('--format yaml: the drafts as commented multi-document YAML that parses back to the JSON objects', async () => {
    const [j, y] = await Promise.all([
      json('policy shop/catalog-api', engine),
      run('policy shop/catalog-api', engine, { format: 'yaml' }),
    ]);
    expect(y.code).toBe(0);
    const docs = parseAllDocuments(y.out);
    expect(docs.map((d) => d.errors)).toEqual([[], [], []]);
    expect(docs.map((d) => d.toJS())).toEqual([
      j.cilium,
      j.networkPolicy,
      expect.objectContaining({ Resources: expect.any(Object) }),
    ]);
    expect(docs[2]?.toJS().Resources.RuleGroup.Properties).toEqual(j.dnsFirewall.ruleGroup);
    for (const c of P.comments) expect(y.out).toContain(`    # ${c}\n    - to:`);
    expect(y.out).toContain("AWSTemplateFormatVersion: '2010-09-09'");
  });

  it('for one kind drafts only that one', async () => {
    const a = await json('policy shop/catalog-api for kubernetes', engine);
    expect([a.cilium, a.dnsFirewall, a.networkPolicy?.kind]).toEqual([null, null, 'NetworkPolicy']);
  });

  it('says what it can when there is nothing to allow or nothing to select by', async () => {
    const mailer = await json('policy shop/legacy-mailer', engine);
    expect([mailer.destinations, mailer.rejected]).toEqual([
      EXPECTED_AWS.policy_mailer.destinations,
      EXPECTED_AWS.policy_mailer.rejected,
    ]);
    expect(mailer.notes[0]).toMatch(/^Only REJECTed egress from shop\/legacy-mailer \(2 attempts to 1 destination\)/);
    expect(mailer.cilium.spec.egress).toHaveLength(1);
    const quiet = await json('policy shop/cart-cache', engine);
    expect(quiet.destinations).toEqual([]);
    expect(quiet.notes[0]).toMatch(/^No egress from shop\/cart-cache in the window: the drafts allow DNS only/);
    const bare = await json('policy default/debug-shell', engine);
    expect([bare.podSelector, bare.cilium, bare.networkPolicy]).toEqual([null, null, null]);
    expect(bare.notes[0]).toMatch(/because its pods carry no labels they share/);
    // Its DNS to 8.8.8.8 (dns-bypass) got through: that is what it reached, so the list names it.
    expect(bare.dnsFirewall.domains).toEqual(['dns.google']);
    const unknown = await run('policy shop/checkout-api', engine);
    expect([unknown.code, unknown.out]).toEqual([2, '']);
    expect(unknown.err).toMatch(/No workload or pod shop\/checkout-api is known.*`policy shop\//);
  });
});

const SAVING = ['service', 'region', 'bytes', 'usd', 'endpoint', 'monthlySavingUsd', 'topWorkloads'] as const;

describe.each(ENGINES)('cost savings, projection and networks (%s)', (engine) => {
  it('avoidable: per service and region, by the flow-log field and ip-ranges.json', async () => {
    const a = await json('cost last 7d', engine, { ranges: true });
    expect(pick(a.avoidable, SAVING)).toEqual(EXPECTED_AWS.avoidable_last7d);
    expect(a.avoidable[2].monthlyEndpointUsd).toBe(EXPECTED_AWS.sqsMonthlyEndpointUsd);
    const total = a.table.total;
    // The projection is the window's bytes priced and scaled to 30 days (not the rounded total × 30/7).
    expect(a.projection30dUsd).toBe(Math.round(((total.bytes / 2 ** 30) * 0.045 * 30 * 1e6) / 7) / 1e6);
  });

  it('avoidable without ip-ranges.json: only what the flow-log field names', async () => {
    const a = await json('cost last 7d', engine);
    const e = EXPECTED_AWS.avoidable_last7d_fieldOnly;
    expect(a.avoidable.map((r: { service: string }) => r.service)).toEqual(e.services);
    expect(pick([a.avoidable[0]], ['bytes', 'usd', 'monthlySavingUsd'])).toEqual([
      { bytes: e.s3Bytes, usd: e.s3Usd, monthlySavingUsd: e.s3MonthlySavingUsd },
    ]);
    expect(a.notes.join('\n')).toMatch(/set EGRESS_AWS_IP_RANGES/);
  });

  it('by network: labelled ranges, unlabelled /16s listed, the same total as by namespace', async () => {
    const env = { EGRESS_NETWORKS: JSON.stringify(EXPECTED_AWS.networks) };
    const [net, ns] = await Promise.all([
      json('cost last 7d by network', engine, { env }),
      json('cost last 7d by namespace', engine),
    ]);
    const e = EXPECTED_AWS.network_last7d;
    const row = (n: string) => net.table.rows.find((r: { network: string }) => r.network === n);
    expect(row('acct-2222 staging')).toEqual(e.staging);
    expect(row('10.60.0.0/16')).toEqual(e.unlabelled);
    expect(net.unlabelled).toEqual(e.unlabelledList);
    expect(net.table.total).toEqual(ns.table.total);
    expect(net.projection30dUsd).toBe(ns.projection30dUsd);
  });
});

describe('--format yaml elsewhere', () => {
  it('is refused before any query runs, with what to use instead', async () => {
    const r = await run('who 142.250.80.46', 'duckdb', { format: 'yaml' });
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toBe(
      'egress: --format yaml is for answers that are documents (`policy` drafts); `who` answers as text or json: use --format json.\n',
    );
  });
});
