import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { FIELDS_B } from '../dev/sample/constants.js';
import { type CliIo, main } from '../src/cli.js';
import { type AwsWorld, logFormat, sampleEc2State, startAwsWorld } from './fakes/athena-world.js';
import { type KubeFake, startKubernetesApiFake } from './fakes/kubernetes-api.js';

let w: AwsWorld;
let kube: KubeFake;
let tmp: string;

async function doctor(env: Record<string, string> = {}, args: string[] = []) {
  let out = '';
  const io: CliIo = {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      out += s;
    },
    env: { ...w.egressEnv, ...env },
    clock: () => 0,
  };
  const code = await main(['doctor', '--now', '2026-11-20T12:00:00Z', ...args], io);
  const lines = out.trim().split('\n');
  const line = (name: string) => lines.find((l) => l.slice(2).startsWith(` ${name}:`) || l.includes(` ${name}:`));
  return { code, out, lines, line };
}

beforeAll(async () => {
  w = await startAwsWorld();
  for (const [k, v] of Object.entries(w.awsEnv)) vi.stubEnv(k, v);
  kube = await startKubernetesApiFake();
  tmp = await mkdtemp(path.join(tmpdir(), 'egress-doctor-'));
  await writeFile(path.join(tmp, 'kubeconfig'), kube.kubeconfig());
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await kube?.close();
  await w?.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  Object.assign(w.ec2.state, sampleEc2State());
});

describe('egress doctor', () => {
  it('before setup: tables missing, with the fix, and a non-zero exit', async () => {
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.line('config')).toMatch(/^✅/);
    expect(r.line('Athena reachable')).toMatch(/^✅ Athena reachable: workgroup primary \(Athena engine version 3\)/);
    expect(r.line('tables exist')).toMatch(/^❌ tables exist: .* → fix: run `egress setup`/);
    expect(r.out).toMatch(/check(s)? failed\.\n$/);
  });

  it('after setup, with Redis and Kubernetes configured: every check passes, one line each', async () => {
    const setup = await main(['setup'], { out: () => {}, err: () => {}, env: w.egressEnv, clock: () => 0 });
    expect(setup).toBe(0);
    const r = await doctor({
      REDIS_URL: inject('redisUrl'),
      KUBECONFIG: path.join(tmp, 'kubeconfig'),
      EGRESS_K8S_ENABLED: 'true',
    });
    expect(r.lines.slice(0, -1).every((l) => l.startsWith('✅ '))).toBe(true);
    expect(r.lines.at(-1)).toBe('All checks passed.');
    expect(r.code).toBe(0);
    for (const name of [
      'config',
      'Athena reachable',
      'tables exist',
      'query engine',
      'flow-log data (24 h)',
      'resolver-log data (24 h)',
      'flow-log format usable',
      'NAT ENIs covered',
      'table matches flow log',
      'kubernetes:default',
      'Redis reachable',
    ]) {
      expect(r.line(name), name).toBeDefined();
    }
    expect(r.line('NAT ENIs covered')).toContain('AWS_VPC_K8S_CNI_EXTERNALSNAT=true');
  });

  it('flags a LogFormat without pkt-srcaddr/pkt-dstaddr and a table that no longer matches it', async () => {
    w.ec2.state.flowLogs![0]!.LogFormat = logFormat(FIELDS_B.filter((f) => !f.startsWith('pkt-')));
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.line('flow-log format usable')).toMatch(/^❌ .*lacks pkt-srcaddr, pkt-dstaddr.* → fix: /);
    expect(r.line('NAT ENIs covered')).toMatch(/^❌ .*0\/1 NAT interfaces/);
    w.ec2.state.flowLogs![0]!.LogFormat = logFormat([...FIELDS_B].reverse());
    const reordered = await doctor();
    expect(reordered.line('table matches flow log')).toMatch(/^❌ .*differ.* → fix: re-run `egress setup`/);
  });

  it('flags a day-partition format that does not match the destination (queries would find nothing)', async () => {
    const r = await doctor({ EGRESS_ATHENA_DAY_FORMAT: 'hive' });
    expect(r.code).toBe(1);
    expect(r.line('table matches flow log')).toMatch(/^❌ .* → fix: set EGRESS_ATHENA_DAY_FORMAT=plain\./);
    expect(r.line('flow-log data (24 h)')).toMatch(/^❌ flow-log data \(24 h\): no flow-log records/);
    // The day literals named no flow partition, so not one flow-log object was read.
    expect(w.mirror.reads.at(-1)?.some((k) => k.includes('vpcflowlogs'))).toBe(false);
  });

  it('reports unreachable Redis with a fix-it', async () => {
    const r = await doctor({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.line('Redis reachable')).toMatch(/^❌ .* → fix: check REDIS_URL/);
  });

  it('stops at invalid configuration, listing every problem', async () => {
    const r = await doctor({ EGRESS_ATHENA_DATABASE: 'Bad-Name', EGRESS_ATHENA_TIMEOUT: 'soon' });
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toMatch(/^❌ config: .*EGRESS_ATHENA_DATABASE.*EGRESS_ATHENA_TIMEOUT.* → fix: /);
  });

  it('with the DuckDB engine checks the local mirror instead of Athena', async () => {
    const r = await doctor({ EGRESS_ENGINE: 'duckdb', EGRESS_VPC_ID: '' }, ['--data', w.dir]);
    expect(r.code).toBe(0);
    expect(r.line('Athena reachable')).toBeUndefined();
    expect(r.line('flow-log data (24 h)')).toMatch(/^✅ .*duckdb scanned/);
    expect(r.line('flow logs on NAT ENIs')).toMatch(/^➖/);
  });
});
