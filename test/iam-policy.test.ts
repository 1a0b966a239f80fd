/**
 * deploy/iam-policy.json (runtime) and deploy/iam-setup-policy.json (`egress setup` only) against what the code sends.
 *
 * The scan reads every file under src/ that imports from `@aws-sdk/client-<service>`, takes the command classes it
 * instantiates (`new XCommand(`) and the paginators it calls (`paginateX(`), and maps each to the IAM action
 * `<service>:X`. Statements Athena runs on the caller's behalf (DDL in src/setup) map to the Glue actions they need.
 * The runtime policy must grant every action the code sends (setup's discovery and `egress doctor` included: they are
 * read-only and run with the bot's role) and no Athena/EC2 action that nothing sends; the setup policy grants exactly
 * the catalog writes of setup's DDL.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const loadPolicy = (file: string): Policy => JSON.parse(readFileSync(path.join(root, 'deploy', file), 'utf8'));
const runtime = loadPolicy('iam-policy.json');
const setup = loadPolicy('iam-setup-policy.json');
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const actionsOf = (p: Policy) =>
  new Set(p.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)));

/** IAM service prefix of an SDK package (`@aws-sdk/client-ec2` → `ec2`). */
const SERVICE_PREFIX: Record<string, string> = {
  athena: 'athena',
  ec2: 'ec2',
  glue: 'glue',
  s3: 's3',
  sts: 'sts',
  'resource-groups-tagging-api': 'tag',
  route53resolver: 'route53resolver',
};
/** Operations whose IAM action is not the operation name. */
const ACTION_OF_OPERATION: Record<string, string> = {
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
  's3:HeadBucket': 's3:ListBucket',
  'sts:GetCallerIdentity': '', // needs no permission
};

interface SdkCall {
  file: string;
  action: string;
}

function sourceFiles(dir: string, pattern = /\.(ts|mts|js|mjs)$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p, pattern);
    return pattern.test(e.name) ? [p] : [];
  });
}

/** Every AWS API call the code under `dir` can make, by file. */
function scanSdkCalls(dir: string): SdkCall[] {
  const calls: SdkCall[] = [];
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g)) {
      if (m[1]) continue; // `import type { … }` sends nothing
      const service = SERVICE_PREFIX[m[3]];
      if (!service) throw new Error(`${rel}: add @aws-sdk/client-${m[3]} to SERVICE_PREFIX in this test`);
      for (const spec of m[2]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        if (spec.startsWith('type ')) continue;
        const [imported, local = imported] = spec.split(/\s+as\s+/);
        const command = /^(\w+)Command$/.exec(imported);
        const paginator = /^paginate(\w+)$/.exec(imported);
        const op = command?.[1] ?? paginator?.[1];
        if (!op) {
          // The aggregated clients (`new Athena().startQueryExecution()`) would hide calls from this scan.
          if (
            /^[A-Z][A-Za-z0-9]*$/.test(imported) &&
            !imported.endsWith('Client') &&
            new RegExp(`new ${local}\\(`).test(text)
          ) {
            throw new Error(
              `${rel}: uses the aggregated client ${imported}; send XCommand objects so the IAM scan sees them`,
            );
          }
          continue;
        }
        const used = command ? new RegExp(`new ${local}\\(`).test(text) : new RegExp(`\\b${local}\\(`).test(text);
        if (!used) continue;
        const action = ACTION_OF_OPERATION[`${service}:${op}`] ?? `${service}:${op}`;
        if (action) calls.push({ file: rel, action });
      }
    }
  }
  return calls;
}

/** Code and SQL text without comments (line and block comments, SQL `--` lines), so only statements count, not prose. */
function withoutComments(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.sql')) return text.replace(/^\s*--.*$/gm, '');
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Glue actions the DDL under `dirs` needs (Athena runs DDL against Glue with the caller's rights). */
function scanDdlActions(dirs: string[]): Array<{ file: string; action: string }> {
  const out: Array<{ file: string; action: string }> = [];
  const rules: Array<[RegExp, string]> = [
    [/\bCREATE (DATABASE|SCHEMA)\b/i, 'glue:CreateDatabase'],
    [/\bCREATE (EXTERNAL )?TABLE\b|\bCREATE (OR REPLACE )?VIEW\b/i, 'glue:CreateTable'],
    [/\bDROP (TABLE|VIEW)\b/i, 'glue:DeleteTable'],
    [/\bDROP (DATABASE|SCHEMA)\b/i, 'glue:DeleteDatabase'],
    [/\bALTER TABLE\b[^;]*\b(SET|REPLACE|CHANGE)\b/i, 'glue:UpdateTable'],
    [/\bALTER TABLE\b[^;]*\bADD (IF NOT EXISTS )?PARTITION\b|\bMSCK REPAIR TABLE\b/i, 'glue:BatchCreatePartition'],
  ];
  for (const file of dirs.flatMap((d) => sourceFiles(d, /\.(ts|sql)$/))) {
    const text = withoutComments(file);
    for (const [re, action] of rules) if (re.test(text)) out.push({ file: path.relative(root, file), action });
  }
  return out;
}

const src = path.join(root, 'src');
const setupDir = path.join(src, 'setup');
const calls = scanSdkCalls(src);
// `egress doctor` runs with the bot's role, and setup's discovery calls are read-only: the runtime policy covers every
// API call; the setup policy adds only what the DDL creates.
const runtimeCalls = calls;
const ddl = scanDdlActions([setupDir, path.join(root, 'queries', 'ddl')]);
const runtimeActions = actionsOf(runtime);
const setupActions = actionsOf(setup);

describe('the scan', () => {
  it('finds the calls the product is built on', () => {
    const found = new Set(calls.map((c) => c.action));
    for (const a of [
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StopQueryExecution',
    ]) {
      expect(found.has(a), `${a} not found in src/; did the Athena engine move?`).toBe(true);
    }
    expect(found.has('ec2:DescribeNetworkInterfaces')).toBe(true);
  });

  it('sees commands, paginators and aliases, and ignores type-only imports', () => {
    const dir = path.join(root, 'test', 'fixtures', 'iam-scan');
    const found = scanSdkCalls(dir)
      .map((c) => c.action)
      .sort();
    expect(found).toEqual(['athena:GetWorkGroup', 'ec2:DescribeNatGateways', 'ec2:DescribeVpcs'].sort());
  });
});

describe('deploy/iam-policy.json (runtime)', () => {
  it('is a well-formed identity policy with placeholders, no wildcards in actions', () => {
    expect(runtime.Version).toBe('2012-10-17');
    for (const s of runtime.Statement) {
      expect(s.Effect).toBe('Allow');
      for (const a of list(s.Action)) expect(a).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
      for (const r of list(s.Resource)) expect(r === '*' || r.startsWith('arn:aws:'), r).toBe(true);
    }
  });

  it.each(runtimeCalls.map((c) => [c.action, c.file]))('grants %s (sent by %s)', (action) => {
    expect(runtimeActions.has(action)).toBe(true);
  });

  it('grants no Athena or EC2 action that the code does not send', () => {
    const used = new Set(runtimeCalls.map((c) => c.action));
    const unused = [...runtimeActions].filter((a) => /^(athena|ec2):/.test(a) && !used.has(a));
    expect(unused).toEqual([]);
  });

  it('reads the catalog and the logs only through Athena', () => {
    expect([...runtimeActions].filter((a) => a.startsWith('glue:')).sort()).toEqual(
      ['glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable', 'glue:GetTables'].sort(),
    );
    for (const s of runtime.Statement.filter((x) => list(x.Action).some((a) => /^(s3|glue):/.test(a)))) {
      expect(s.Condition?.['ForAnyValue:StringEquals']?.['aws:CalledVia'], s.Sid).toEqual(['athena.amazonaws.com']);
      expect(list(s.Resource)).not.toContain('*');
    }
  });

  it('scopes S3: read-only on the log prefix, read/write on the results prefix', () => {
    const grants = (resource: string) =>
      runtime.Statement.filter((s) => list(s.Resource).includes(resource))
        .flatMap((s) => list(s.Action))
        .sort();
    expect(grants('arn:aws:s3:::LOG_BUCKET/LOG_PREFIX/*')).toEqual(['s3:GetObject']);
    expect(grants('arn:aws:s3:::RESULTS_BUCKET/RESULTS_PREFIX/*')).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(grants('arn:aws:s3:::LOG_BUCKET')).toEqual(['s3:GetBucketLocation', 's3:ListBucket']);
    expect(grants('arn:aws:s3:::RESULTS_BUCKET')).toEqual(['s3:GetBucketLocation']);
    const list_ = runtime.Statement.find((s) => list(s.Action).includes('s3:ListBucket'));
    expect(list_?.Condition?.StringLike?.['s3:prefix']).toEqual(['LOG_PREFIX/*']);
    expect([...runtimeActions].filter((a) => a.startsWith('s3:') && /Put|Delete/.test(a))).toEqual(['s3:PutObject']);
  });

  it('limits Athena to the workgroup', () => {
    const s = runtime.Statement.find((x) => list(x.Action).some((a) => a.startsWith('athena:')));
    expect(list(s?.Resource ?? [])).toEqual(['arn:aws:athena:REGION:ACCOUNT_ID:workgroup/WORKGROUP']);
  });
});

describe('deploy/iam-setup-policy.json (`egress setup`)', () => {
  it('finds the DDL setup runs, and none in the runtime queries or code', () => {
    expect(new Set(ddl.map((d) => d.action))).toEqual(
      new Set(['glue:CreateDatabase', 'glue:CreateTable', 'glue:DeleteTable']),
    );
    const runtimeDirs = [path.join(root, 'queries'), ...readdirSync(src).map((d) => path.join(src, d))].filter(
      (d) => statSync(d).isDirectory() && d !== setupDir && d !== path.join(root, 'queries'),
    );
    const runtimeSql = sourceFiles(path.join(root, 'queries'), /\.sql$/).filter(
      (f) => !f.includes(`${path.sep}ddl${path.sep}`),
    );
    expect(runtimeSql.length).toBeGreaterThan(0);
    for (const f of runtimeSql)
      expect(withoutComments(f), f).not.toMatch(/\b(CREATE|DROP|ALTER|INSERT|DELETE|MSCK)\b/i);
    expect(scanDdlActions(runtimeDirs)).toEqual([]);
  });

  it.each(ddl.map((d) => [d.action, d.file]))('grants %s for the DDL in %s', (action) => {
    expect(setupActions.has(action)).toBe(true);
  });

  it('grants exactly what the DDL needs and nothing the runtime policy already has', () => {
    expect([...setupActions].sort()).toEqual([...new Set(ddl.map((d) => d.action))].sort());
    for (const s of setup.Statement) {
      expect(list(s.Resource)).not.toContain('*');
      expect(s.Condition?.['ForAnyValue:StringEquals']?.['aws:CalledVia']).toEqual(['athena.amazonaws.com']);
    }
  });
});
