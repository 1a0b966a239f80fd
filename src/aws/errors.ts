import { ConfigError, EgressError, PermanentError, TransientError } from '../errors.js';

const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0]?.trim() ?? '';

/**
 * Maps an EC2 SDK error from `action` (e.g. `DescribeFlowLogs`) to a coded error a person can act on: the IAM action
 * to grant, the variable to set, or "try again".
 */
export function mapEc2Error(err: unknown, action: string): Error {
  if (err instanceof EgressError) return err;
  const e = err as { name?: string; message?: string; code?: string };
  const name = e.name ?? 'Error';
  const msg = firstLine(e.message);
  if (name === 'UnauthorizedOperation' || name === 'AccessDenied' || /not authorized/i.test(msg)) {
    const perm = /perform:?\s+(ec2:[A-Za-z]+)/.exec(msg)?.[1] ?? `ec2:${action}`;
    return new PermanentError(
      'ACCESS_DENIED',
      `EC2 refused ${action}: the IAM identity egress runs as needs ${perm}.`,
      {
        cause: err,
      },
    );
  }
  if (name === 'RequestLimitExceeded' || /Throttl/i.test(name)) {
    return new TransientError('THROTTLED', `EC2 is throttling ${action}; try again in a minute.`, { cause: err });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(msg)) {
    return new ConfigError(`No AWS credentials found (${msg}). Use the usual AWS credential sources.`);
  }
  if (/Region is missing/i.test(msg)) return new ConfigError('No AWS region configured: set AWS_REGION.');
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/i.test(`${e.code ?? ''} ${msg}`) ||
    name === 'TimeoutError'
  ) {
    return new TransientError('UPSTREAM', `Could not reach EC2 for ${action} (${msg || name}).`, { cause: err });
  }
  return new PermanentError('UPSTREAM', `EC2 ${action} failed: ${name}: ${msg}`, { cause: err });
}

/** Runs one EC2 call, mapping its errors. */
export async function ec2Call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapEc2Error(err, action);
  }
}
