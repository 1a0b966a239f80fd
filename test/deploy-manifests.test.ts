/**
 * deploy/: renders the kustomize base, the trial Redis and the example overlay with the real kustomize (`kubectl
 * kustomize`, as `kubectl apply -k` renders them), then checks every object against the Kubernetes schemas
 * (kubernetes-models `validate()`: types, required fields, enums), for unknown fields, and for the properties the
 * operator README promises: probes, resources, a locked-down securityContext, the writable /tmp, IRSA, least-privilege
 * RBAC, config the app accepts, no secrets in the repo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { loadConfig } from '../src/config.js';
import { unknownFields } from './support/k8s-strict.js';

const root = path.resolve(import.meta.dirname, '..');
const deploy = path.join(root, 'deploy');

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

/** Every document of a YAML stream as plain data (a syntax error throws; empty documents are dropped). */
function loadAll(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw doc.errors[0];
      return doc.toJS() as unknown;
    })
    .filter((d) => d !== null && d !== undefined);
}

/** `kubectl kustomize dir`: the objects `kubectl apply -k dir` would send. */
function kustomize(dir: string): K8sObject[] {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return loadAll(out) as K8sObject[];
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('kubectl is not on the PATH: .ci/run installs it (kubernetes-client)');
    // kubectl 1.20 (Debian 12's kubernetes-client) embeds kustomize v2, which knows neither `labels` nor `patches`.
    throw new Error(`kubectl kustomize ${path.relative(root, dir)} failed (kubectl >= 1.21 needed): ${e.stderr ?? e}`);
  }
}

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const RENDERS = {
  base: path.join(deploy, 'base'),
  redis: path.join(deploy, 'redis'),
  example: path.join(deploy, 'overlays', 'example'),
  mcp: path.join(deploy, 'overlays', 'example-mcp'),
};

const rendered = Object.fromEntries(Object.entries(RENDERS).map(([k, dir]) => [k, kustomize(dir)])) as Record<
  keyof typeof RENDERS,
  K8sObject[]
>;
const example = rendered.example;

const find = (objs: K8sObject[], kind: string, name: string): K8sObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not rendered`);
  return o;
};

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  env?: Array<{ name: string; value?: string }>;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  volumes?: Array<{ name: string; emptyDir?: { sizeLimit?: string } }>;
}
const podSpec = (d: K8sObject) => (d.spec as { template: { spec: PodSpec } }).template.spec;
const podLabels = (d: K8sObject) =>
  (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('rendering', () => {
  it.each(Object.keys(RENDERS))('%s renders with unique objects', (name) => {
    const objs = rendered[name as keyof typeof RENDERS];
    expect(objs.length).toBeGreaterThan(0);
    const ids = objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the example overlay holds the whole product', () => {
    const kinds = example.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        'ClusterRole/egress-attribution',
        'ClusterRoleBinding/egress-attribution',
        'ConfigMap/egress-config',
        'Deployment/egress-bot',
        'Deployment/egress-redis',
        'Deployment/egress-worker',
        'Ingress/egress-bot',
        'Namespace/egress',
        'NetworkPolicy/egress-redis',
        'PodDisruptionBudget/egress-bot',
        'Service/egress-bot',
        'Service/egress-redis',
        'ServiceAccount/egress',
      ].sort(),
    );
    for (const o of example) {
      if (o.kind === 'Namespace' || o.kind.startsWith('Cluster')) expect(o.metadata.namespace).toBeUndefined();
      else expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('egress');
    }
  });

  it('an overlay’s strategic-merge patch merges into the bot container by name (keyed lists)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'egress-overlay-'));
    try {
      const kustomization = { resources: [path.relative(dir, RENDERS.base)], patches: [{ path: 'patch.yaml' }] };
      const patch = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'egress-bot' },
        spec: { template: { spec: { containers: [{ name: 'bot', env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] } } },
      };
      writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
      writeFileSync(path.join(dir, 'patch.yaml'), stringify(patch));
      const merged = find(kustomize(dir), 'Deployment', 'egress-bot');
      const c = podSpec(merged).containers[0];
      expect(c.image).toBe(podSpec(find(rendered.base, 'Deployment', 'egress-bot')).containers[0].image);
      // Merged by name: the base's variables stay, the patch's is added (kustomize puts new items first).
      expect(c.env?.map((e) => e.name).sort()).toEqual(['EGRESS_K8S_ENABLED', 'HOME', 'LOG_LEVEL', 'TMPDIR']);
      expect(c.env).toContainEqual({ name: 'HOME', value: '/tmp' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schemas', () => {
  const all = Object.entries(rendered).flatMap(([r, objs]) =>
    objs.map((o) => [`${r}: ${o.kind}/${o.metadata.name}`, o] as const),
  );

  it.each(all)('%s validates against the Kubernetes schema', (_name, o) => {
    const Model = MODELS[`${o.apiVersion}/${o.kind}`];
    expect(Model, `no kubernetes-models class registered for ${o.apiVersion} ${o.kind}`).toBeDefined();
    expect(() => new Model(o as never).validate()).not.toThrow();
  });

  it.each(all)('%s has no unknown fields', (_name, o) => {
    expect(unknownFields(o)).toEqual([]);
  });

  it('the checks catch real mistakes', () => {
    const d = structuredClone(find(example, 'Deployment', 'egress-bot')) as K8sObject;
    const c = podSpec(d).containers[0] as unknown as Record<string, unknown>;
    c.readinesProbe = c.readinessProbe;
    expect(unknownFields(d)).toEqual([
      'Deployment/egress-bot.spec.template.spec.containers[0].readinesProbe: unknown field (not in V1Container)',
    ]);
    (podSpec(d).containers[0].ports as unknown as Array<{ containerPort: unknown }>)[0].containerPort = 'http';
    expect(() => new Deployment(d as never).validate()).toThrow(/containerPort/);
  });
});

describe('workloads', () => {
  const bot = find(example, 'Deployment', 'egress-bot');
  const worker = find(example, 'Deployment', 'egress-worker');
  const deployments = example.filter((o) => o.kind === 'Deployment');

  it('bot: HTTP receiver only, 2 replicas, probes on /healthz at the served port', () => {
    expect((bot.spec as { replicas: number }).replicas).toBe(2);
    const c = podSpec(bot).containers[0];
    expect(c.args).toEqual(['serve', '--no-worker']);
    // The workers keep the IP timeline; the receiver's readiness must not hang on the Kubernetes API.
    expect(c.env).toContainEqual({ name: 'EGRESS_K8S_ENABLED', value: 'false' });
    expect((find(example, 'ConfigMap', 'egress-config').data as Record<string, string>).EGRESS_K8S_ENABLED).toBe(
      'true',
    );
    const port = c.ports?.find((p) => p.name === 'http');
    expect(port?.containerPort).toBe(3000);
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
      expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
  });

  it('worker: `egress worker`, separately scaled, probes on /healthz', () => {
    expect((worker.spec as { replicas: number }).replicas).toBe(2); // the overlay's patch
    expect((find(rendered.base, 'Deployment', 'egress-worker').spec as { replicas: number }).replicas).toBe(1);
    const c = podSpec(worker).containers[0];
    expect(c.args).toEqual(['worker']);
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // Liveness = responsive process; dependency outages (Redis, Kubernetes API) only make it unready.
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/metrics', port: 'http' });
  });

  it('the container port agrees with PORT in the ConfigMap and the image default', () => {
    const cm = find(example, 'ConfigMap', 'egress-config').data as Record<string, string>;
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`PORT=${cm.PORT}\\b`));
    for (const d of [bot, worker]) expect(podSpec(d).containers[0].ports?.[0].containerPort).toBe(Number(cm.PORT));
  });

  it.each(['egress-bot', 'egress-worker', 'egress-redis'])(
    '%s: locked-down pod with resources and a writable /tmp',
    (name) => {
      const d = find(example, 'Deployment', name);
      const spec = podSpec(d);
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      for (const c of spec.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests?.cpu).toBeTruthy();
        expect(c.resources?.requests?.memory).toBeTruthy();
        expect(c.resources?.limits?.memory).toBeTruthy();
        for (const m of c.volumeMounts ?? []) {
          expect(spec.volumes?.find((v) => v.name === m.name)?.emptyDir, `${m.name} is an emptyDir`).toBeDefined();
        }
      }
      if (name !== 'egress-redis') {
        const c = spec.containers[0];
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(c.env).toEqual(
          expect.arrayContaining([
            { name: 'TMPDIR', value: '/tmp' },
            { name: 'HOME', value: '/tmp' },
          ]),
        );
        expect(c.image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/egress:0.1.0');
        // Graceful stop (EGRESS_SHUTDOWN_GRACE, default 30 s) must fit in the termination grace period.
        expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
      }
    },
  );

  it('the image runs as the numeric non-root user the pods declare', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const user = /^USER (\d+):(\d+)$/m.exec(dockerfile);
    expect(user).not.toBeNull();
    for (const d of [bot, worker]) expect(podSpec(d).securityContext?.runAsUser).toBe(Number(user?.[1]));
  });

  it('config comes from the ConfigMap, secrets from a Secret reference that is never committed', () => {
    for (const d of [bot, worker]) {
      const c = podSpec(d).containers[0];
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'egress-config' } }, { secretRef: { name: 'egress-slack' } }]);
    }
    expect(example.filter((o) => o.kind === 'Secret')).toEqual([]);
    const files = listFiles(deploy).filter((f) => /\.(ya?ml|json)$/.test(f));
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/xox[abp]-\d|xapp-\d/); // Slack tokens
      expect(text, f).not.toMatch(/AKIA[0-9A-Z]{16}/); // AWS access keys
    }
  });

  it('every deployment runs under a ServiceAccount that is rendered', () => {
    for (const d of deployments) {
      const sa = podSpec(d).serviceAccountName;
      if (sa) find(example, 'ServiceAccount', sa);
      else expect(podSpec(d).automountServiceAccountToken).toBe(false);
    }
  });
});

describe('config', () => {
  it('the ConfigMap holds only variables the app knows (or the AWS SDK reads), and the app accepts them', () => {
    const source = readFileSync(path.join(root, 'src', 'config.ts'), 'utf8');
    const known = new Set([...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]));
    for (const r of [rendered.base, example]) {
      const data = find(r, 'ConfigMap', 'egress-config').data as Record<string, string>;
      for (const key of Object.keys(data)) {
        expect(known.has(key) || key.startsWith('AWS_'), `${key} is not read by src/config.ts`).toBe(true);
        expect(key, 'secrets belong in the egress-slack Secret').not.toMatch(/TOKEN|SECRET|PASSWORD/);
      }
      const config = loadConfig({ ...data, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test' });
      expect(config.EGRESS_ENGINE).toBe('athena');
      expect(config.REDIS_URL).toBe('redis://egress-redis:6379');
    }
  });
});

describe('networking', () => {
  it('the Service and PodDisruptionBudget select the bot pods only', () => {
    const bot = find(example, 'Deployment', 'egress-bot');
    const svc = find(example, 'Service', 'egress-bot').spec as {
      selector: Record<string, string>;
      ports: Array<{ targetPort: string }>;
    };
    expect(matches(svc.selector, podLabels(bot))).toBe(true);
    expect(matches(svc.selector, podLabels(find(example, 'Deployment', 'egress-worker')))).toBe(false);
    expect(podSpec(bot).containers[0].ports?.map((p) => p.name)).toContain(svc.ports[0].targetPort);
    const pdb = find(example, 'PodDisruptionBudget', 'egress-bot').spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(matches(pdb.selector.matchLabels, podLabels(bot))).toBe(true);
    expect(pdb.minAvailable).toBeLessThan((bot.spec as { replicas: number }).replicas);
  });

  it('Redis: the trial Service matches REDIS_URL and only egress pods may reach it', () => {
    const redis = find(example, 'Deployment', 'egress-redis');
    const svc = find(example, 'Service', 'egress-redis').spec as {
      selector: Record<string, string>;
      ports: Array<{ port: number }>;
    };
    expect(matches(svc.selector, podLabels(redis))).toBe(true);
    const url = new URL((find(example, 'ConfigMap', 'egress-config').data as Record<string, string>).REDIS_URL);
    expect(url.hostname).toBe('egress-redis');
    expect(Number(url.port)).toBe(svc.ports[0].port);
    const np = find(example, 'NetworkPolicy', 'egress-redis').spec as {
      podSelector: { matchLabels: Record<string, string> };
      ingress: Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }> }>;
    };
    expect(matches(np.podSelector.matchLabels, podLabels(redis))).toBe(true);
    const allowed = np.ingress[0].from[0].podSelector.matchLabels;
    for (const name of ['egress-bot', 'egress-worker'])
      expect(matches(allowed, podLabels(find(example, 'Deployment', name)))).toBe(true);
    expect(matches(allowed, podLabels(redis))).toBe(false);
  });

  it('the Ingress exposes only /slack/events, to the bot Service', () => {
    const ing = find(example, 'Ingress', 'egress-bot').spec as {
      rules: Array<{
        http: { paths: Array<{ path: string; backend: { service: { name: string; port: { name: string } } } }> };
      }>;
    };
    const paths = ing.rules.flatMap((r) => r.http.paths);
    expect(paths.map((p) => p.path)).toEqual(['/slack/events']);
    expect(paths[0].backend.service).toEqual({ name: 'egress-bot', port: { name: 'http' } });
  });
});

describe('the optional MCP server (deploy/components/mcp, in deploy/overlays/example-mcp)', () => {
  const withMcp = rendered.mcp;
  const mcp = find(withMcp, 'Deployment', 'egress-mcp');
  const bot = find(withMcp, 'Deployment', 'egress-bot');
  const id = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

  it('adds exactly its Deployment and Service to the example, which stays without it', () => {
    const added = withMcp.filter((o) => !example.some((e) => id(e) === id(o))).map(id);
    expect(added.sort()).toEqual(['Deployment/egress/egress-mcp', 'Service/egress/egress-mcp']);
    expect(withMcp.length).toBe(example.length + 2);
    expect(example.map(id).filter((i) => i.includes('mcp'))).toEqual([]);
    // Everything the example renders is rendered the same underneath.
    for (const o of example)
      expect(
        withMcp.find((x) => id(x) === id(o)),
        id(o),
      ).toEqual(o);
  });

  it('runs `egress mcp --http` in the bot image, on the port the config reads, listening beyond loopback', () => {
    const c = podSpec(mcp).containers[0];
    expect(c.args).toEqual(['mcp', '--http']);
    expect(c.image).toBe(podSpec(bot).containers[0].image);
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
    const config = loadConfig(env);
    expect(config.EGRESS_MCP_HOST).toBe('0.0.0.0');
    expect(c.ports).toEqual([{ name: 'mcp', containerPort: config.EGRESS_MCP_PORT, protocol: 'TCP' }]);
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'mcp' });
    expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'mcp' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/metrics', port: 'mcp' });
    expect((mcp.spec as { replicas: number }).replicas).toBe(1); // sessions are in memory
  });

  it('has the bot’s security context, resources, a writable /tmp and the ServiceAccount', () => {
    const spec = podSpec(mcp);
    expect(spec.securityContext).toEqual(podSpec(bot).securityContext);
    expect(spec.serviceAccountName).toBe('egress');
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    const c = spec.containers[0];
    expect(c.securityContext).toEqual(podSpec(bot).containers[0].securityContext);
    expect(c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory).toBeTruthy();
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(spec.volumes?.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'TMPDIR', value: '/tmp' },
        { name: 'HOME', value: '/tmp' },
      ]),
    );
  });

  it('references the token Secret (never committed), not the Slack one', () => {
    const c = podSpec(mcp).containers[0];
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'egress-config' } }, { secretRef: { name: 'egress-mcp' } }]);
    expect(withMcp.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('its Service selects only the MCP pods; the bot’s Service, PDB and Ingress do not reach them', () => {
    const svc = find(withMcp, 'Service', 'egress-mcp').spec as {
      type: string;
      selector: Record<string, string>;
      ports: Array<{ targetPort: string }>;
    };
    expect(svc.type).toBe('ClusterIP');
    expect(matches(svc.selector, podLabels(mcp))).toBe(true);
    for (const name of ['egress-bot', 'egress-worker'])
      expect(matches(svc.selector, podLabels(find(withMcp, 'Deployment', name)))).toBe(false);
    expect(svc.ports.map((p) => p.targetPort)).toEqual(['mcp']);
    const botSvc = find(withMcp, 'Service', 'egress-bot').spec as { selector: Record<string, string> };
    expect(matches(botSvc.selector, podLabels(mcp))).toBe(false);
    const pdb = find(withMcp, 'PodDisruptionBudget', 'egress-bot').spec as {
      selector: { matchLabels: Record<string, string> };
    };
    expect(matches(pdb.selector.matchLabels, podLabels(mcp))).toBe(false);
    const backends = withMcp
      .filter((o) => o.kind === 'Ingress')
      .flatMap((o) => JSON.stringify(o.spec).match(/"name":"[\w-]+"/g) ?? []);
    expect(backends).not.toContain('"name":"egress-mcp"');
  });

  it('may reach the trial Redis (the IP timeline), as the worker does', () => {
    const np = find(withMcp, 'NetworkPolicy', 'egress-redis').spec as {
      ingress: Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }> }>;
    };
    expect(matches(np.ingress[0].from[0].podSelector.matchLabels, podLabels(mcp))).toBe(true);
  });
});

describe('identity and RBAC', () => {
  it('the ServiceAccount carries the IRSA role (placeholder in the base, a real-looking ARN in the overlay)', () => {
    const arn = (o: K8sObject) => (o.metadata.annotations as Record<string, string>)['eks.amazonaws.com/role-arn'];
    expect(arn(find(rendered.base, 'ServiceAccount', 'egress'))).toMatch(/^arn:aws:iam::[A-Z_0-9]+:role\/.+/);
    expect(arn(find(example, 'ServiceAccount', 'egress'))).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/);
  });

  it('the ClusterRole grants get/list/watch on pods, replicasets and jobs, nothing else', () => {
    const role = find(example, 'ClusterRole', 'egress-attribution') as K8sObject & {
      rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    };
    const grants = role.rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g || 'core'}/${res}:${v}`))),
    );
    const want = ['core/pods', 'apps/replicasets', 'batch/jobs'].flatMap((r) =>
      ['get', 'list', 'watch'].map((v) => `${r}:${v}`),
    );
    expect(grants.sort()).toEqual(want.sort());
  });

  it('the ClusterRole covers exactly the resources the code lists and watches', () => {
    const role = find(example, 'ClusterRole', 'egress-attribution') as K8sObject & {
      rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    };
    const granted = new Set(
      role.rules.flatMap((r) =>
        r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))),
      ),
    );
    const used = scanKubernetesCalls(path.join(root, 'src'));
    expect(used.size, 'no Kubernetes API calls found in src/').toBeGreaterThan(0);
    for (const u of used) expect(granted.has(u), `${u} is used by src/ but not granted`).toBe(true);
    const usedResources = new Set([...used].map((u) => u.split(':')[0]));
    const grantedResources = new Set([...granted].map((g) => g.split(':')[0]));
    expect([...grantedResources].sort()).toEqual([...usedResources].sort());
  });

  it('the binding ties that role to the pods’ ServiceAccount in its namespace', () => {
    for (const objs of [rendered.base, example]) {
      const binding = find(objs, 'ClusterRoleBinding', 'egress-attribution') as K8sObject & {
        roleRef: { kind: string; name: string };
        subjects: Array<{ kind: string; name: string; namespace: string }>;
      };
      expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'egress-attribution' });
      const sa = find(objs, 'ServiceAccount', binding.subjects[0].name);
      expect(binding.subjects[0]).toEqual({
        kind: 'ServiceAccount',
        name: sa.metadata.name,
        namespace: sa.metadata.namespace ?? 'default',
      });
    }
  });
});

/** API group of each kind the client-node typed APIs may list/read (`''` = core). */
const GROUP_OF_KIND: Record<string, [string, string]> = {
  Pod: ['', 'pods'],
  Node: ['', 'nodes'],
  Namespace: ['', 'namespaces'],
  Service: ['', 'services'],
  Endpoints: ['', 'endpoints'],
  ReplicaSet: ['apps', 'replicasets'],
  Deployment: ['apps', 'deployments'],
  StatefulSet: ['apps', 'statefulsets'],
  DaemonSet: ['apps', 'daemonsets'],
  Job: ['batch', 'jobs'],
  CronJob: ['batch', 'cronjobs'],
};

/**
 * `group/resource:verb` for every Kubernetes API call in files importing @kubernetes/client-node: `listX` → list,
 * `readX` → get, and list + watch for everything listed when the file builds informers (`makeInformer`, `Watch`).
 */
function scanKubernetesCalls(dir: string): Set<string> {
  const used = new Set<string>();
  let informers = false;
  const listed: string[] = [];
  for (const file of listFiles(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes("'@kubernetes/client-node'")) continue;
    if (/\bmakeInformer\b|\bnew Watch\(/.test(text)) informers = true;
    // Calls on the typed API clients the file makes (`const core = kc.makeApiClient(CoreV1Api)`).
    const clients = [...text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*[\w.]+\.makeApiClient\(/g)].map((m) => m[1]);
    for (const client of clients) {
      const verbs = 'list|read|create|patch|replace|delete';
      const call = new RegExp(`\\b${client}\\.(${verbs})(?:Namespaced)?([A-Z][A-Za-z]*?)(?:ForAllNamespaces)?\\(`, 'g');
      for (const m of text.matchAll(call)) {
        const gr = GROUP_OF_KIND[m[2]];
        if (!gr) throw new Error(`${path.relative(root, file)}: ${m[0]} — add ${m[2]} to GROUP_OF_KIND`);
        const verb = m[1] === 'read' ? 'get' : m[1];
        used.add(`${gr[0]}/${gr[1]}:${verb}`);
        if (verb === 'list') listed.push(`${gr[0]}/${gr[1]}`);
      }
    }
  }
  if (informers) for (const r of listed) used.add(`${r}:watch`);
  return used;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}
