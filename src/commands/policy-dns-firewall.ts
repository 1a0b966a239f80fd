/**
 * The Route 53 Resolver DNS Firewall draft: the names the workload resolved as a domain list, and a rule group that
 * ALLOWs the list and ALERTs (never BLOCKs) on everything else, so a first deployment breaks nothing and its alerts
 * show what the list misses. As CloudFormation: two domain lists (the names, and `*`) and the rule group. Pure.
 */
import { collapseNames, selectorText } from './policy-cilium.js';
import type { PolicyDestination } from './policy-destinations.js';

/** One rule of the group. */
export interface FirewallRule {
  Name: string;
  Priority: number;
  Action: 'ALLOW' | 'ALERT';
  FirewallDomainListId: { Ref: string };
}

/** The rule group's CloudFormation properties. */
export interface FirewallRuleGroup {
  Name: string;
  FirewallRules: FirewallRule[];
}

/** The DNS Firewall part of a `policy` answer. */
export interface DnsFirewallDraft {
  /** The domain list, one name (or `*.suffix` with --collapse) per entry, sorted. */
  domains: string[];
  ruleGroup: FirewallRuleGroup;
  /** The CloudFormation template holding both lists and the group (what the YAML draft is). */
  template: Record<string, unknown>;
}

/** Logical ids of the template's resources (what the rules' `Ref`s name). */
export const LIST_ID = 'AllowedDomains';
export const ALL_ID = 'AllDomains';

/** `egress-shop-catalog-api`: DNS Firewall names take letters, digits, `-` and `_` (≤ 64). */
const firewallName = (base: string) => `egress-${base}`.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64);

/** The draft for the names of `destinations`; `base` names the lists and the group (`shop-catalog-api`). */
export function dnsFirewall(
  base: string,
  destinations: readonly PolicyDestination[],
  collapse: boolean,
): DnsFirewallDraft {
  const domains = collapseNames(
    destinations.flatMap((d) => d.names),
    collapse,
  ).map(selectorText);
  const name = firewallName(base);
  const ruleGroup: FirewallRuleGroup = {
    Name: name,
    FirewallRules: [
      { Name: `allow-${name}`.slice(0, 64), Priority: 100, Action: 'ALLOW', FirewallDomainListId: { Ref: LIST_ID } },
      { Name: 'alert-everything-else', Priority: 200, Action: 'ALERT', FirewallDomainListId: { Ref: ALL_ID } },
    ],
  };
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `DNS Firewall draft from egress: ALLOW what ${base} resolved, ALERT on everything else`,
    Resources: {
      [LIST_ID]: { Type: 'AWS::Route53Resolver::FirewallDomainList', Properties: { Name: name, Domains: domains } },
      [ALL_ID]: {
        Type: 'AWS::Route53Resolver::FirewallDomainList',
        Properties: { Name: `${name}-all`.slice(0, 64), Domains: ['*'] },
      },
      RuleGroup: { Type: 'AWS::Route53Resolver::FirewallRuleGroup', Properties: ruleGroup },
    },
  };
  return { domains, ruleGroup, template };
}

/** The domain list file: one entry per line, as `create-firewall-domain-list` / `import-firewall-domains` take it. */
export const domainListText = (d: DnsFirewallDraft): string => (d.domains.length ? `${d.domains.join('\n')}\n` : '');
