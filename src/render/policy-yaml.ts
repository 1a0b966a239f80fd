/**
 * The `policy` drafts as YAML documents (the `yaml` package's Document API, so each NetworkPolicy rule carries a
 * comment naming the domains behind its addresses): what `--format yaml` prints and the files Slack gets. Pure and
 * deterministic: the same answer gives the same bytes.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { PolicyAnswer } from '../commands/policy.js';
import { domainListText } from '../commands/policy-dns-firewall.js';
import { selectorText } from '../commands/selector.js';
import { isoSeconds } from '../flowlogs/window.js';

/** One draft as a file. */
export interface PolicyFile {
  kind: 'cilium' | 'kubernetes' | 'dns-firewall' | 'dns-firewall-domains';
  filename: string;
  title: string;
  content: string;
}

const OPTIONS = { aliasDuplicateObjects: false } as const;

let lib: typeof Yaml | undefined;
/**
 * The `yaml` package, loaded on the first draft: every CLI answer imports the renderers, and only `policy` needs it
 * (about 50 ms of loading a `who` need not pay). Its CommonJS build loads synchronously, as the renderers are.
 */
const yaml = (): typeof Yaml => {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
};
const TO_STRING = { lineWidth: 0 } as const;

/** `from shop/catalog-api over last 30d (2026-10-21T12:00:00Z → 2026-11-20T12:00:00Z)`. */
const provenance = (a: PolicyAnswer) =>
  `from what ${selectorText(a.selector)} reached over ${a.label} (${isoSeconds(a.window.from)} → ${isoSeconds(a.window.to)})`;

const nameless = (a: PolicyAnswer) => a.destinations.filter((d) => !d.names.length).flatMap((d) => d.addresses);

/** Every draft of the answer as a commented YAML document, in the order cilium, kubernetes, dns-firewall. */
export function policyDocuments(a: PolicyAnswer): Array<{ kind: PolicyFile['kind']; doc: Document }> {
  const out: Array<{ kind: PolicyFile['kind']; doc: Document }> = [];
  if (a.cilium) {
    const doc = new (yaml().Document)(a.cilium, OPTIONS);
    doc.commentBefore = ` CiliumNetworkPolicy draft by egress, ${provenance(a)}.\n Review before applying: it allows only the names below (and DNS to kube-dns, which FQDN rules need).`;
    const missing = nameless(a);
    if (missing.length) {
      const egress = doc.getIn(['spec', 'egress']) as YAMLSeq;
      const them = missing.length === 1 ? 'it' : 'them';
      egress.commentBefore = ` Not allowed here, no DNS name seen: ${missing.join(', ')} (the NetworkPolicy draft allows ${them} by ipBlock)`;
    }
    out.push({ kind: 'cilium', doc });
  }
  if (a.networkPolicy) {
    const doc = new (yaml().Document)(a.networkPolicy, OPTIONS);
    doc.commentBefore = ` NetworkPolicy draft by egress, ${provenance(a)}.\n One rule per destination; the comment above each names the domains that resolved to its addresses.`;
    const rules = (doc.getIn(['spec', 'egress']) as YAMLSeq).items as YAMLMap[];
    rules.forEach((rule, i) => {
      const d = a.destinations[i - 1];
      rule.commentBefore =
        i === 0 ? ' DNS to kube-dns' : d?.names.length ? ` ${d.names.join(', ')}` : ' no DNS name seen';
    });
    out.push({ kind: 'kubernetes', doc });
  }
  if (a.dnsFirewall) {
    const doc = new (yaml().Document)(a.dnsFirewall.template, OPTIONS);
    // Quoted, as CloudFormation templates write it: a YAML 1.1 reader would take 2010-09-09 for a date.
    (doc.getIn(['AWSTemplateFormatVersion'], true) as Scalar).type = 'QUOTE_SINGLE';
    doc.commentBefore =
      ` Route 53 Resolver DNS Firewall draft by egress, ${provenance(a)}.\n` +
      ' ALLOW the list, ALERT (not BLOCK) on everything else: a first deployment breaks nothing.\n' +
      " DNS Firewall filters the whole VPC (it sees CoreDNS, not pods): merge every workload's list before blocking.";
    out.push({ kind: 'dns-firewall', doc });
  }
  return out;
}

/** The multi-document YAML of every draft (`--format yaml`). */
export function policyYaml(a: PolicyAnswer): string {
  const docs = policyDocuments(a).map((d) => d.doc.toString(TO_STRING));
  return docs.length ? docs.join('---\n') : '# no drafts (see the notes of `--format text`)\n';
}

/** `shop-catalog-api` from the answer, for file names. */
const stem = (a: PolicyAnswer) =>
  selectorText(a.selector)
    .replace('*', 'all')
    .replace(/[^A-Za-z0-9.-]+/g, '-');

/** The drafts as files: one YAML per draft, plus the DNS Firewall domain list as plain text (one name per line). */
export function policyFiles(a: PolicyAnswer): PolicyFile[] {
  const s = stem(a);
  const titles: Record<PolicyFile['kind'], string> = {
    cilium: 'CiliumNetworkPolicy draft',
    kubernetes: 'NetworkPolicy draft',
    'dns-firewall': 'DNS Firewall rule group (CloudFormation)',
    'dns-firewall-domains': 'DNS Firewall domain list',
  };
  const files: PolicyFile[] = policyDocuments(a).map(({ kind, doc }) => ({
    kind,
    filename: `egress-policy-${s}-${kind}.yaml`,
    title: titles[kind],
    content: doc.toString(TO_STRING),
  }));
  if (a.dnsFirewall) {
    files.push({
      kind: 'dns-firewall-domains',
      filename: `egress-policy-${s}-domains.txt`,
      title: titles['dns-firewall-domains'],
      content: domainListText(a.dnsFirewall),
    });
  }
  return files;
}
