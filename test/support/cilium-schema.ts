/**
 * A schema for the CiliumNetworkPolicy drafts, written from the documented cilium.io/v2 fields (docs.cilium.io,
 * Policy Language: Layer 3 endpoints, DNS-based toFQDNs with matchName/matchPattern, Layer 4 toPorts with port and
 * protocol, rules.dns), strict: a field Cilium does not know fails, as `kubectl apply` with validation would.
 */
import { z } from 'zod';

const labels = z.record(z.string().regex(/^[A-Za-z0-9._/:-]+$/), z.string());
const selector = z.object({ matchLabels: labels.optional() }).strict();
const fqdn = z.union([
  z.object({ matchName: z.string().regex(/^[-a-zA-Z0-9_.]+$/) }).strict(),
  z.object({ matchPattern: z.string().regex(/^[-a-zA-Z0-9_.*]+$/) }).strict(),
]);
const portRule = z
  .object({
    ports: z
      .array(
        z
          .object({
            port: z
              .string()
              .regex(/^(0|[1-9][0-9]{0,4})$/)
              .refine((p) => Number(p) <= 65535),
            protocol: z.enum(['TCP', 'UDP', 'SCTP', 'ANY']),
          })
          .strict(),
      )
      .min(1),
    rules: z
      .object({ dns: z.array(fqdn).min(1) })
      .strict()
      .optional(),
  })
  .strict();
const egressRule = z
  .object({
    toEndpoints: z.array(selector).optional(),
    toFQDNs: z.array(fqdn).min(1).optional(),
    toPorts: z.array(portRule).optional(),
  })
  .strict()
  .refine((r) => r.toEndpoints || r.toFQDNs, 'an egress rule needs a peer');
/** cilium.io/v2 CiliumNetworkPolicy with egress rules (the parts a draft uses). */
export const CILIUM = z
  .object({
    apiVersion: z.literal('cilium.io/v2'),
    kind: z.literal('CiliumNetworkPolicy'),
    metadata: z.object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/), namespace: z.string() }).strict(),
    spec: z.object({ endpointSelector: selector, egress: z.array(egressRule).min(1) }).strict(),
  })
  .strict()
  // toFQDNs only work when the pods' DNS goes through Cilium's proxy: some rule must carry a DNS rule.
  .refine(
    (p) => !p.spec.egress.some((r) => r.toFQDNs) || p.spec.egress.some((r) => r.toPorts?.some((t) => t.rules?.dns)),
    'toFQDNs without a DNS proxy rule never match',
  );
