import path from 'node:path';

/**
 * The CLI words of a question asked of the mirror `dir` — its `k8s-snapshot.json` as the cluster, the clock at `now`,
 * the answer as JSON: `who 142.250.80.46 last 7d --data DIR --k8s DIR/k8s-snapshot.json --now NOW --format json`.
 */
export function mirrorJsonArgv(question: string, dir: string, now: string): string[] {
  return [
    ...question.split(' '),
    '--data',
    dir,
    '--k8s',
    path.join(dir, 'k8s-snapshot.json'),
    '--now',
    now,
    '--format',
    'json',
  ];
}
