import type { Config } from '../config.js';

/**
 * Whether the config asks for EC2 owner lookups: `EGRESS_EC2_OWNERS=on`, or `auto` with the Athena engine (AWS
 * credentials are configured there anyway), so local DuckDB runs never reach for AWS.
 */
export function ec2OwnersEnabled(config: Pick<Config, 'EGRESS_EC2_OWNERS'>, engine: 'duckdb' | 'athena'): boolean {
  return config.EGRESS_EC2_OWNERS === 'on' || (config.EGRESS_EC2_OWNERS === 'auto' && engine === 'athena');
}
