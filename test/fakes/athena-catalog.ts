import type { SqlResult } from './athena-results.js';

/**
 * The fake's Glue catalog: databases and external tables created by DDL, so `egress setup` really creates what the
 * queries later read, `SHOW TABLES` / `SHOW CREATE TABLE` answer from it, and a query on a missing table fails the way
 * Athena fails it.
 */
export interface TableDef {
  database: string;
  name: string;
  /** The statement as received (what `SHOW CREATE TABLE` returns, one row per line). */
  ddl: string;
  columns: Array<{ name: string; type: string }>;
  location?: string;
  props: Record<string, string>;
}

/** Databases → tables. */
export type Catalog = Map<string, Map<string, TableDef>>;

const ident = '`?([A-Za-z0-9_]+)`?';
const CREATE_DB = new RegExp(`^\\s*CREATE\\s+(?:DATABASE|SCHEMA)\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${ident}`, 'i');
const DROP_TABLE = new RegExp(`^\\s*DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?(?:${ident}\\.)?${ident}\\s*$`, 'i');
const CREATE_TABLE = new RegExp(
  `^\\s*CREATE\\s+EXTERNAL\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(?:${ident}\\.)?${ident}\\s*\\(`,
  'i',
);
const SHOW_TABLES = new RegExp(`^\\s*SHOW\\s+TABLES(?:\\s+(?:IN|FROM)\\s+${ident})?\\s*$`, 'i');
const SHOW_CREATE = new RegExp(`^\\s*SHOW\\s+CREATE\\s+TABLE\\s+(?:${ident}\\.)?${ident}\\s*$`, 'i');
const SHOW_DBS = /^\s*SHOW\s+(DATABASES|SCHEMAS)\s*$/i;

const rows = (name: string, values: string[]): SqlResult => ({
  columns: [{ name, type: 'string' }],
  rows: values.map((v) => [v]),
  bytesScanned: 0,
});

/** Splits `a int, b array<struct<x:string,y:string>>` at top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((c) => c.trim()).filter(Boolean);
}

/** Parses the parts of `CREATE EXTERNAL TABLE` the fake needs: columns, LOCATION, TBLPROPERTIES. */
export function parseCreateTable(sql: string, database: string, name: string): TableDef {
  const open = sql.indexOf('(');
  let depth = 0;
  let close = open;
  for (; close < sql.length; close++) {
    if (sql[close] === '(') depth++;
    if (sql[close] === ')' && --depth === 0) break;
  }
  const columns = splitTopLevel(sql.slice(open + 1, close)).map((c) => {
    const m = /^`?([A-Za-z0-9_]+)`?\s+(.+)$/s.exec(c);
    if (!m) throw new Error(`line 1:1: mismatched input '${c}'`);
    return { name: (m[1] as string).toLowerCase(), type: (m[2] as string).trim() };
  });
  const location = /\bLOCATION\s+'([^']*)'/i.exec(sql)?.[1];
  const props: Record<string, string> = {};
  const tblprops = /\bTBLPROPERTIES\s*\(([\s\S]*)\)\s*$/i.exec(sql)?.[1] ?? '';
  for (const m of tblprops.matchAll(/(?:"([^"]*)"|'([^']*)')\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    props[(m[1] ?? m[2]) as string] = (m[3] ?? m[4]) as string;
  }
  return { database, name: name.toLowerCase(), ddl: sql, columns, location, props };
}

/**
 * Runs a catalog statement against `catalog`, or returns undefined when `sql` is not one. Errors carry Athena's
 * wording so the client maps them as it would in AWS.
 */
export function runCatalogStatement(catalog: Catalog, sql: string, contextDb: string): SqlResult | undefined {
  let m = CREATE_DB.exec(sql);
  if (m) {
    const db = (m[2] as string).toLowerCase();
    if (catalog.has(db) && !m[1]) throw new Error(`FAILED: AlreadyExistsException: Database ${db} already exists`);
    if (!catalog.has(db)) catalog.set(db, new Map());
    return rows('result', []);
  }
  const tables = (db: string) => {
    const t = catalog.get(db.toLowerCase());
    if (!t) throw new Error(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
    return t;
  };
  m = DROP_TABLE.exec(sql);
  if (m) {
    const t = tables(m[2] ?? contextDb);
    if (!t.delete((m[3] as string).toLowerCase()) && !m[1]) throw new Error(`FAILED: Table not found ${m[3]}`);
    return rows('result', []);
  }
  m = CREATE_TABLE.exec(sql);
  if (m) {
    const db = (m[2] ?? contextDb).toLowerCase();
    const t = tables(db);
    const name = (m[3] as string).toLowerCase();
    if (t.has(name)) {
      if (m[1]) return rows('result', []);
      throw new Error(`FAILED: AlreadyExistsException: Table ${db}.${name} already exists`);
    }
    t.set(name, parseCreateTable(sql, db, name));
    return rows('result', []);
  }
  m = SHOW_TABLES.exec(sql);
  if (m) return rows('tab_name', [...tables(m[1] ?? contextDb).keys()].sort());
  m = SHOW_CREATE.exec(sql);
  if (m) {
    const def = tables(m[1] ?? contextDb).get((m[2] as string).toLowerCase());
    if (!def) throw new Error(`TABLE_NOT_FOUND: Table ${m[2]} does not exist`);
    return rows('createtab_stmt', def.ddl.split('\n'));
  }
  if (SHOW_DBS.test(sql)) return rows('database_name', [...catalog.keys()].sort());
  return undefined;
}
