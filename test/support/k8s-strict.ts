/**
 * Unknown-field check for Kubernetes objects. kubernetes-models' JSON schemas catch wrong types and missing required
 * fields but accept any extra key, so a typo such as `readinesProbe` would pass; the API server (strict field
 * validation) or the kubelet would drop it silently. This walks an object against the attribute maps of
 * @kubernetes/client-node's generated models (OpenAPI v1.34) and lists every key the API does not know.
 */
import * as k8s from '@kubernetes/client-node';

type AttributeMap = Array<{ baseName: string; type: string }>;
type ModelClass = { getAttributeTypeMap(): AttributeMap };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

function walk(value: unknown, type: string, at: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return void problems.push(`${at}: expected a list`);
    for (const [i, v] of value.entries()) walk(v, array[1], `${at}[${i}]`, problems);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${at}: expected a map`);
    for (const [k, v] of Object.entries(value)) walk(v, map[1], `${at}.${k}`, problems);
    return;
  }
  const model = models[type];
  if (!model || typeof model.getAttributeTypeMap !== 'function') return; // leaf: string, number, IntOrString, any…
  if (typeof value !== 'object' || Array.isArray(value))
    return void problems.push(`${at}: expected an object (${type})`);
  const attrs = model.getAttributeTypeMap();
  for (const [k, v] of Object.entries(value)) {
    const attr = attrs.find((a) => a.baseName === k);
    if (!attr) problems.push(`${at}.${k}: unknown field (not in ${type})`);
    else walk(v, attr.type, `${at}.${k}`, problems);
  }
}

/** The client-node model name for an apiVersion + kind (`apps/v1` Deployment → `V1Deployment`). */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop() ?? apiVersion;
  return `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
}

/** Every unknown field of `obj`, as `Kind/name.path.to.field` strings (empty when all fields are known). */
export function unknownFields(obj: { apiVersion: string; kind: string; metadata?: { name?: string } }): string[] {
  const type = modelName(obj.apiVersion, obj.kind);
  if (!models[type]) return [`${obj.kind}: no client-node model ${type} to check against`];
  const problems: string[] = [];
  walk(obj, type, `${obj.kind}/${obj.metadata?.name ?? '?'}`, problems);
  return problems;
}
