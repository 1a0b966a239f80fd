import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const ENGINE = 'Athena engine version 3';

/** The engine version block Athena echoes on workgroups and executions. */
export const ENGINE_VERSION = { SelectedEngineVersion: ENGINE, EffectiveEngineVersion: ENGINE };

/** One recorded request: the operation from `X-Amz-Target` and the parsed JSON body. */
export interface AthenaCall {
  op: string;
  input: Record<string, unknown>;
}

/** A queued injected failure; `op` undefined matches any operation. */
export interface AthenaFault {
  op?: string;
  kind: 'TooManyRequestsException' | 'ThrottlingException' | 'AccessDeniedException';
  message?: string;
}

/**
 * An awsJson1_1 error. The SDK takes the error name from `__type` (stripping any
 * `namespace#` prefix) and copies modelled members such as `AthenaErrorCode`/`Reason`.
 */
export class AthenaWireError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Athena's catch-all client error; `INVALID_INPUT` is the code it uses for bad ids and arguments. */
export function invalid(message: string): AthenaWireError {
  return new AthenaWireError('InvalidRequestException', message, { AthenaErrorCode: 'INVALID_INPUT' });
}

/** Removes and converts the first queued fault that applies to `op`, if any. */
export function takeFault(faults: AthenaFault[], op: string): AthenaWireError | undefined {
  const i = faults.findIndex((f) => f.op === undefined || f.op === op);
  if (i === -1) return undefined;
  const [fault] = faults.splice(i, 1);
  switch (fault!.kind) {
    case 'TooManyRequestsException':
      // Athena's own throttle shape (modelled, with Reason); the SDK retries it as THROTTLING.
      return new AthenaWireError('TooManyRequestsException', 'Rate exceeded', {
        Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
      });
    case 'ThrottlingException':
      // The generic AWS front-door throttle; unmodelled for Athena but still retried by name.
      return new AthenaWireError('ThrottlingException', 'Rate exceeded');
    case 'AccessDeniedException':
      return new AthenaWireError(
        'AccessDeniedException',
        fault!.message ??
          `User: arn:aws:sts::123456789012:assumed-role/egress/test is not authorized to perform: athena:${op} because no identity-based policy allows the athena:${op} action`,
      );
  }
}

/** Writes an awsJson1_1 response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}

/** `GetWorkGroup.WorkGroup` for an existing workgroup whose results land under `outputLocation`. */
export function describeWorkGroup(name: string, outputLocation: string) {
  return {
    Name: name,
    State: 'ENABLED',
    Configuration: {
      ResultConfiguration: { OutputLocation: outputLocation },
      EnforceWorkGroupConfiguration: false,
      PublishCloudWatchMetricsEnabled: false,
      RequesterPaysEnabled: false,
      EngineVersion: ENGINE_VERSION,
    },
    Description: '',
    // Epoch seconds, like every awsJson timestamp; a fixed instant keeps responses deterministic.
    CreationTime: 1_600_000_000,
  };
}
