/**
 * A small, strict kustomize: just the features deploy/ uses, so the manifests can be rendered and validated without a
 * kustomize binary. Anything else in a kustomization.yaml is an error (add it here, and to the cross-check against
 * `kubectl kustomize` in test/deploy-manifests.test.ts, before using it).
 *
 * Supported: `resources` (files with one or more documents, or directories holding a kustomization.yaml), `namespace`
 * (namespaced kinds only; ServiceAccount subjects of (Cluster)RoleBindings whose namespace is empty or "default" follow,
 * as kustomize's defaultOnly rule does), `labels` (pairs; metadata only unless includeSelectors/includeTemplates),
 * `images` (name → newName/newTag/digest) and `patches` (strategic-merge patch files matched by kind and name).
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * js-yaml as @kubernetes/client-node (a runtime dependency) resolves it. client-node's own `loadAllYaml` cannot be
 * used: it deserializes into typed models and silently drops unknown fields, the very mistakes these tests look for.
 */
const clientRequire = createRequire(createRequire(import.meta.url).resolve('@kubernetes/client-node'));
const jsYaml = clientRequire('js-yaml') as { loadAll(text: string): unknown[]; load(text: string): unknown };

/** Every document of a YAML text, as plain data (empty documents skipped). */
export function loadAllYaml(text: string): unknown[] {
  return jsYaml.loadAll(text).filter((d) => d !== null && d !== undefined);
}

/** One YAML document. */
export function loadYaml(text: string): unknown {
  return jsYaml.load(text);
}

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);

/** Kinds that have no namespace (the ones deploy/ may use). */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
]);

/** Lists merged by a key field in strategic-merge patches (the subset of Kubernetes' patchMergeKey list we need). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ports: 'containerPort',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  tolerations: 'key',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strategic merge of `patch` into `target` (returns a new value). `null` deletes a key; keyed lists merge by key. */
export function strategicMerge(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return structuredClone(patch);
    const out = structuredClone(target) as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const at = out.findIndex((t) => isObject(t) && isObject(item) && t[key] === item[key]);
      if (at >= 0) out[at] = strategicMerge(out[at], item) as Record<string, unknown>;
      else out.push(structuredClone(item));
    }
    return out;
  }
  if (isObject(patch) && isObject(target)) {
    const out: Record<string, unknown> = structuredClone(target);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = k in out ? strategicMerge(out[k], v, k) : structuredClone(v);
    }
    return out;
  }
  return structuredClone(patch);
}

function readDocs(file: string): K8sObject[] {
  return loadAllYaml(readFileSync(file, 'utf8')) as K8sObject[];
}

const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function podTemplate(o: K8sObject): Record<string, unknown> | undefined {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (o.kind === 'CronJob')
    return (spec.jobTemplate as { spec?: { template?: Record<string, unknown> } })?.spec?.template;
  return spec.template as Record<string, unknown> | undefined;
}

function containersOf(o: K8sObject): Record<string, unknown>[] {
  const spec = podTemplate(o)?.spec as {
    containers?: Record<string, unknown>[];
    initContainers?: Record<string, unknown>[];
  };
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/** Renders the kustomization in `dir` (like `kustomize build dir`), returning the objects in resource order. */
export function kustomizeBuild(dir: string): K8sObject[] {
  const kfile = path.join(dir, 'kustomization.yaml');
  const [k] = readDocs(kfile) as unknown as Record<string, unknown>[];
  const unknown = Object.keys(k).filter((f) => !KNOWN_FIELDS.has(f));
  if (unknown.length) throw new Error(`${kfile}: mini-kustomize does not support ${unknown.join(', ')}`);
  if (k.kind !== 'Kustomization') throw new Error(`${kfile}: kind must be Kustomization`);

  let objects: K8sObject[] = [];
  for (const r of (k.resources as string[]) ?? []) {
    const p = path.join(dir, r);
    objects.push(...(statSync(p).isDirectory() ? kustomizeBuild(p) : readDocs(p)));
  }
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(idOf(o))) throw new Error(`${kfile}: ${idOf(o)} is defined twice`);
    seen.add(idOf(o));
  }

  for (const p of (k.patches as Array<{ path?: string; patch?: string; target?: unknown }>) ?? []) {
    if (!p.path || p.target || p.patch)
      throw new Error(`${kfile}: only patches with a path (strategic merge) are supported`);
    for (const patch of readDocs(path.join(dir, p.path))) {
      const i = objects.findIndex(
        (o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name && o.apiVersion === patch.apiVersion,
      );
      if (i < 0)
        throw new Error(`${kfile}: patch ${p.path} matches no resource (${patch.kind}/${patch.metadata.name})`);
      objects[i] = strategicMerge(objects[i], patch) as K8sObject;
    }
  }

  for (const l of (k.labels as Array<{
    pairs: Record<string, string>;
    includeSelectors?: boolean;
    includeTemplates?: boolean;
  }>) ?? []) {
    for (const o of objects) {
      o.metadata.labels = { ...o.metadata.labels, ...l.pairs };
      const template = podTemplate(o);
      if (template && (l.includeSelectors || l.includeTemplates)) {
        template.metadata ??= {};
        const meta = template.metadata as { labels?: Record<string, string> };
        meta.labels = { ...meta.labels, ...l.pairs };
      }
      if (l.includeSelectors) {
        const spec = o.spec as { selector?: Record<string, unknown> } | undefined;
        if (o.kind === 'Service' && spec) spec.selector = { ...spec.selector, ...l.pairs };
        else if (spec?.selector && isObject(spec.selector.matchLabels))
          spec.selector.matchLabels = { ...spec.selector.matchLabels, ...l.pairs };
      }
    }
  }

  for (const img of (k.images as Array<{ name: string; newName?: string; newTag?: string; digest?: string }>) ?? []) {
    for (const o of objects) {
      for (const c of containersOf(o)) {
        const image = String(c.image);
        const name = image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
        if (name !== img.name) continue;
        const tag = image.slice(name.length);
        const suffix = img.digest ? `@${img.digest}` : img.newTag ? `:${img.newTag}` : tag;
        c.image = `${img.newName ?? name}${suffix}`;
      }
    }
  }

  const ns = k.namespace as string | undefined;
  if (ns) {
    objects = objects.map((o) => {
      if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = ns;
      if (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') {
        for (const s of (o.subjects as Array<{ kind: string; namespace?: string }>) ?? []) {
          if (s.kind === 'ServiceAccount' && (!s.namespace || s.namespace === 'default')) s.namespace = ns;
        }
      }
      return o;
    });
  }
  return objects;
}
