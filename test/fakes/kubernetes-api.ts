import type { IncomingMessage, ServerResponse } from 'node:http';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { uidFor } from './kubernetes-api-objects.js';
import { listen } from './listen.js';

export { job, node, pod, replicaSet, uidFor } from './kubernetes-api-objects.js';

/** Anything with Kubernetes object shape; extra fields are stored verbatim. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
}

/** One request the fake received. */
export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  at: number;
}

/** Handle on a running Kubernetes API fake. */
export interface KubeFake {
  url: string;
  /** Every request, including rejected ones (so tests can count lists vs watches). */
  requests: KubeRequest[];
  /** Latest resourceVersion handed out (global across kinds, like etcd's revision). */
  readonly resourceVersion: number;
  /** Number of watch streams currently open. */
  readonly openWatches: number;
  /** Creates (ADDED) or replaces (MODIFIED) an object; returns the stored copy with its new resourceVersion. */
  upsert<T extends KubeObject>(obj: T): T;
  /** Deletes an object (DELETED); `namespace` is '' for cluster-scoped kinds. Returns false if absent. */
  remove(kind: string, namespace: string, name: string): boolean;
  /** Forgets history at or below `rv` (default: now); watches resuming from older versions get 410 Expired. */
  compact(rv?: number): void;
  /** Destroys every watch socket mid-stream, like a network failure. */
  dropWatches(): void;
  /** Ends every watch cleanly, like the API server's watch timeout. */
  endWatches(): void;
  /** Sends a BOOKMARK at the current resourceVersion to watches that asked for bookmarks. */
  bookmark(): void;
  /** Simulates an outage: 503 Status responses (`'status'`) or reset connections (`'reset'`); open watches are dropped. */
  setDown(down: boolean, how?: 'status' | 'reset'): void;
  /** KubeConfig document (JSON, which is YAML) for `kc.loadFromString()`, context `fake`. */
  kubeconfig(): string;
  close(): Promise<void>;
}

interface Watcher {
  kind: string;
  matches: (obj: KubeObject) => boolean;
  bookmarks: boolean;
  res: ServerResponse;
}

const RESOURCES: Record<string, { group: string; kind: string }> = {
  pods: { group: 'api/v1', kind: 'Pod' },
  nodes: { group: 'api/v1', kind: 'Node' },
  replicasets: { group: 'apis/apps/v1', kind: 'ReplicaSet' },
  deployments: { group: 'apis/apps/v1', kind: 'Deployment' },
  jobs: { group: 'apis/batch/v1', kind: 'Job' },
  cronjobs: { group: 'apis/batch/v1', kind: 'CronJob' },
};
const ROUTE = /^\/(api\/v1|apis\/[^/]+\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/;
const TOKEN = 'fake-token';
const EPOCH = '2024-01-01T00:00:00Z';

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/** Minimal selector support: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated (labels or dotted field paths). */
function selector(expr: string | undefined, lookup: (obj: KubeObject, key: string) => unknown) {
  const terms = (expr ?? '').split(',').filter(Boolean);
  return (obj: KubeObject): boolean =>
    terms.every((term) => {
      const [, key, op, value] = /^(!?[^!=]+)(!=|==|=)?(.*)$/.exec(term) ?? [];
      if (!op) return key.startsWith('!') ? lookup(obj, key.slice(1)) === undefined : lookup(obj, key) !== undefined;
      return (String(lookup(obj, key) ?? '') === value) === (op !== '!=');
    });
}
const label = (obj: KubeObject, key: string) => obj.metadata?.labels?.[key];
const field = (obj: KubeObject, path: string) =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], obj);

/** Starts the fake on a loopback port. */
export async function startKubernetesApiFake(): Promise<KubeFake> {
  const requests: KubeRequest[] = [];
  const objects = new Map<string, KubeObject>();
  const history: { rv: number; type: string; object: KubeObject }[] = [];
  const watchers = new Set<Watcher>();
  let rv = 0;
  let compactedRv = 0;
  let down: false | 'status' | 'reset' = false;

  const keyOf = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
  const line = (w: Watcher, type: string, object: unknown) => w.res.write(`${JSON.stringify({ type, object })}\n`);
  const emit = (type: string, object: KubeObject) => {
    history.push({ rv, type, object });
    for (const w of watchers) if (w.kind === object.kind && w.matches(object)) line(w, type, object);
  };
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  function watch(res: ServerResponse, w: Watcher, q: URLSearchParams) {
    res.writeHead(200, { 'content-type': 'application/json' });
    // Headers go out now so the client's fetch resolves before any event exists.
    res.flushHeaders();
    const from = q.get('resourceVersion') ?? '';
    if (from === '' || from === '0') {
      // "Start at most recent": synthetic ADDED for current state, as the real API server does.
      for (const obj of objects.values()) if (obj.kind === w.kind && w.matches(obj)) line(w, 'ADDED', obj);
    } else if (Number(from) < compactedRv) {
      // The real server answers 200 and reports expiry in-band, then closes; client-node relists on code 410.
      line(w, 'ERROR', status(410, 'Expired', `too old resource version: ${from} (${compactedRv})`));
      res.end();
      return;
    } else {
      for (const e of history)
        if (e.rv > Number(from) && e.object.kind === w.kind && w.matches(e.object)) line(w, e.type, e.object);
    }
    watchers.add(w);
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    // 'close' fires both when we end the stream and when the connection dies.
    res.on('close', () => {
      clearTimeout(timer);
      watchers.delete(w);
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: Date.now(),
    });
    if (down === 'reset') return req.socket.destroy();
    if (down)
      return send(res, 503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (url.pathname === '/version')
      return send(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0-fake', platform: 'linux/amd64' });
    if (url.pathname === '/api')
      return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    const [, group, ns, plural, name] = ROUTE.exec(url.pathname) ?? [];
    const resource = RESOURCES[plural ?? ''];
    if (!resource || resource.group !== group || req.method !== 'GET') {
      return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const { kind } = resource;
    if (name) {
      const obj = objects.get(keyOf(kind, ns, name));
      return obj ? send(res, 200, obj) : send(res, 404, status(404, 'NotFound', `${plural} "${name}" not found`));
    }
    const labels = selector(url.searchParams.get('labelSelector') ?? undefined, label);
    const fields = selector(url.searchParams.get('fieldSelector') ?? undefined, field);
    const matches = (obj: KubeObject) => (!ns || obj.metadata?.namespace === ns) && labels(obj) && fields(obj);
    const q = url.searchParams;
    if (q.get('watch') === 'true' || q.get('watch') === '1') {
      return watch(res, { kind, matches, bookmarks: q.get('allowWatchBookmarks') === 'true', res }, q);
    }
    const items = [...objects.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, o]) => o);
    send(res, 200, {
      kind: `${kind}List`,
      apiVersion: group.replace(/^apis?\//, ''),
      metadata: { resourceVersion: String(rv) },
      items: items.filter((o) => o.kind === kind && matches(o)),
    });
  }

  const server = await listen(handle);
  const dropWatches = () => {
    for (const w of watchers) w.res.socket?.destroy();
    watchers.clear();
  };

  return {
    url: server.url,
    requests,
    get resourceVersion() {
      return rv;
    },
    get openWatches() {
      return watchers.size;
    },
    upsert(input) {
      const obj = JSON.parse(JSON.stringify(input)) as typeof input & { metadata: V1ObjectMeta };
      if (!obj.kind || !obj.metadata?.name) throw new Error('upsert needs kind and metadata.name');
      const key = keyOf(obj.kind, obj.metadata.namespace, obj.metadata.name);
      const existed = objects.has(key);
      obj.metadata.uid ??= uidFor(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
      obj.metadata.creationTimestamp ??= new Date(EPOCH);
      obj.metadata.resourceVersion = String(++rv);
      objects.set(key, obj);
      emit(existed ? 'MODIFIED' : 'ADDED', obj);
      return JSON.parse(JSON.stringify(obj));
    },
    remove(kind, namespace, name) {
      const key = keyOf(kind, namespace, name);
      const obj = objects.get(key);
      if (!obj) return false;
      objects.delete(key);
      // A deletion is itself a new revision, carried on the final object state.
      emit('DELETED', { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } });
      return true;
    },
    compact(at = rv) {
      compactedRv = at;
      history.splice(0, history.length, ...history.filter((e) => e.rv > at));
    },
    dropWatches,
    endWatches() {
      for (const w of watchers) w.res.end();
      watchers.clear();
    },
    bookmark() {
      for (const w of watchers) {
        if (w.bookmarks) line(w, 'BOOKMARK', { kind: w.kind, metadata: { resourceVersion: String(rv) } });
      }
    },
    setDown(isDown, how = 'status') {
      down = isDown ? how : false;
      if (isDown) dropWatches();
    },
    kubeconfig: () =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // client-node refuses http:// servers unless TLS verification is explicitly skipped.
        clusters: [{ name: 'fake', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'fake', user: { token: TOKEN } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
        'current-context': 'fake',
      }),
    close: () => server.close(),
  };
}
