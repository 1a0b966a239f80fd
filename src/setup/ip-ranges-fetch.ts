/**
 * `egress setup` fetches AWS's ip-ranges.json (EGRESS_AWS_IP_RANGES_URL) and caches it at EGRESS_AWS_IP_RANGES, so
 * `cost` can tell which NAT traffic goes to AWS services. The file is checked before it replaces the cached one (a
 * cut download or an error page never does), and written atomically (temp file, then rename).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseAwsIpRanges } from '../aws/ip-ranges.js';
import { UserError } from '../errors.js';

/** What was cached. */
export interface FetchedRanges {
  file: string;
  createDate: string;
  prefixes: number;
}

/** Downloads, checks and writes the file; a failure says what to do (the setup's other steps are done by then). */
export async function fetchAwsIpRanges(
  url: string,
  file: string,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 30_000,
): Promise<FetchedRanges> {
  let text: string;
  try {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    throw new UserError(
      'CONFIG',
      `Could not fetch AWS's ip-ranges.json from ${url} (${(err as Error).message}); check the network or EGRESS_AWS_IP_RANGES_URL, then run \`egress setup\` again.`,
    );
  }
  let prefixes: number;
  let createDate: string;
  try {
    const r = parseAwsIpRanges(text);
    prefixes = r.size;
    createDate = r.createDate;
  } catch (err) {
    throw new UserError(
      'CONFIG',
      `${url} did not return an ip-ranges.json (${(err as Error).message}); ${file} is unchanged.`,
    );
  }
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
  return { file, createDate, prefixes };
}
