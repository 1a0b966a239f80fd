import type { Config } from '../config.js';

/** Limits and prices from the configuration that answers depend on. */
export interface CommandLimits {
  maxWindowSeconds: number;
  dnsLookbackSeconds: number;
  natPricePerGb: number;
  /** How far before the window `from` looks for a destination to call it not new (`EGRESS_NEW_LOOKBACK`, 14d). */
  newLookbackSeconds?: number;
  /** Interface VPC endpoint prices (`EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB`, `…_HOURLY` per AZ, `EGRESS_AZ_COUNT`). */
  interfaceEndpoint?: { pricePerGb: number; hourlyPerAz: number; azCount: number };
}

/** Interface endpoint prices when the context was built without them (AWS's us-east-1 list prices, 3 AZs). */
export const DEFAULT_INTERFACE_ENDPOINT = { pricePerGb: 0.01, hourlyPerAz: 0.01, azCount: 3 } as const;

/** `EGRESS_NEW_LOOKBACK`'s default, for contexts built without it. */
export const DEFAULT_NEW_LOOKBACK_SECONDS = 14 * 86_400;

/** The limits from the configuration. */
export function commandLimits(
  c: Pick<
    Config,
    | 'EGRESS_MAX_WINDOW'
    | 'EGRESS_DNS_LOOKBACK'
    | 'EGRESS_NAT_PRICE_PER_GB'
    | 'EGRESS_NEW_LOOKBACK'
    | 'EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB'
    | 'EGRESS_INTERFACE_ENDPOINT_HOURLY'
    | 'EGRESS_AZ_COUNT'
  >,
): CommandLimits {
  return {
    maxWindowSeconds: c.EGRESS_MAX_WINDOW,
    dnsLookbackSeconds: c.EGRESS_DNS_LOOKBACK,
    natPricePerGb: c.EGRESS_NAT_PRICE_PER_GB,
    newLookbackSeconds: c.EGRESS_NEW_LOOKBACK,
    interfaceEndpoint: {
      pricePerGb: c.EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB,
      hourlyPerAz: c.EGRESS_INTERFACE_ENDPOINT_HOURLY,
      azCount: c.EGRESS_AZ_COUNT,
    },
  };
}
