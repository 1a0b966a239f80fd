import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The directory holding the Athena SQL (`queries/`). */
export const QUERIES_DIR = fileURLToPath(new URL('../../queries/', import.meta.url));

/** A query file: its text (sent unchanged to either engine) and the parameter names in order of their `?`. */
export interface QueryFile {
  name: string;
  text: string;
  params: string[];
  /** Logical tables it reads, so the embedded engine maps only those. */
  tables: Array<'vpc_flow_logs_nat' | 'resolver_query_logs'>;
}

const cache = new Map<string, Promise<QueryFile>>();

/** Loads `queries/<name>.sql` (cached). The `-- @params a b c` header must name one parameter per `?`. */
export function loadQuery(name: string): Promise<QueryFile> {
  if (!/^[a-z0-9-]+$/.test(name)) return Promise.reject(new Error(`bad query name ${name}`));
  let p = cache.get(name);
  if (!p) {
    p = readFile(`${QUERIES_DIR}${name}.sql`, 'utf8').then((text) => parseQueryFile(name, text));
    cache.set(name, p);
  }
  return p;
}

/** Parses a query file's header and checks the placeholder count. Pure. */
export function parseQueryFile(name: string, text: string): QueryFile {
  const header = /^--\s*@params\s+(.*)$/m.exec(text);
  const params = header ? (header[1] as string).trim().split(/\s+/) : [];
  const placeholders = countPlaceholders(text);
  if (placeholders !== params.length) {
    throw new Error(
      `queries/${name}.sql has ${placeholders} placeholders but its @params header names ${params.length}`,
    );
  }
  const tables = (['vpc_flow_logs_nat', 'resolver_query_logs'] as const).filter((t) =>
    new RegExp(`\\b${t}\\b`).test(stripComments(text)),
  );
  return { name, text, params, tables };
}

/** Removes `--` line comments (outside string literals) so a `?` in a comment is not a placeholder. */
export function stripComments(sql: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i] as string;
    if (inString) {
      out += ch;
      if (ch === "'") inString = false;
    } else if (ch === "'") {
      inString = true;
      out += ch;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += '\n';
    } else out += ch;
  }
  return out;
}

/** Counts `?` placeholders outside string literals and comments. */
export function countPlaceholders(sql: string): number {
  let n = 0;
  let inString = false;
  for (const ch of stripComments(sql)) {
    if (ch === "'") inString = !inString;
    else if (ch === '?' && !inString) n++;
  }
  return n;
}
