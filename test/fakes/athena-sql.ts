/** What Athena reports as `QueryExecution.StatementType`. */
export type StatementType = 'DDL' | 'DML' | 'UTILITY';

/** Outcome of splicing `ExecutionParameters` into a query string. */
export type Substitution = { ok: true; sql: string } | { ok: false; expected: number; found: number };

/**
 * Calls `onCode` for each run of SQL text that is outside string literals, quoted
 * identifiers and comments, and `onOther` for everything else, in order. Splitting
 * this way is what lets `?` inside `'...'` or `-- ?` stay untouched.
 */
function scanSql(sql: string, onCode: (text: string) => void, onOther: (text: string) => void): void {
  let i = 0;
  let codeStart = 0;
  const flushCode = (end: number) => {
    if (end > codeStart) onCode(sql.slice(codeStart, end));
  };
  while (i < sql.length) {
    const c = sql[i];
    let end = -1;
    if (c === "'" || c === '"') {
      // SQL escapes a quote by doubling it, so a doubled quote does not end the token.
      end = i + 1;
      while (end < sql.length) {
        if (sql[end] === c) {
          if (sql[end + 1] === c) end += 2;
          else break;
        } else end++;
      }
      end = Math.min(end + 1, sql.length);
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl === -1 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close === -1 ? sql.length : close + 2;
    }
    if (end === -1) {
      i++;
      continue;
    }
    flushCode(i);
    onOther(sql.slice(i, end));
    i = end;
    codeStart = end;
  }
  flushCode(sql.length);
}

/**
 * Replaces positional `?` placeholders with `params`, spliced in verbatim as SQL text —
 * Athena treats each execution parameter as a literal expression, so a parameter `'abc'`
 * carries its own quotes. A count mismatch is reported instead of guessed around.
 */
export function substituteParameters(sql: string, params: readonly string[] | undefined): Substitution {
  const values = params ?? [];
  let out = '';
  let found = 0;
  scanSql(
    sql,
    (code) => {
      for (const ch of code) {
        if (ch === '?') {
          out += values[found] ?? '?';
          found++;
        } else out += ch;
      }
    },
    (other) => {
      out += other;
    },
  );
  // Athena words it from the query's point of view: placeholders expected, values found.
  if (found !== values.length) return { ok: false, expected: found, found: values.length };
  return { ok: true, sql: out };
}

/** Removes comments so classification looks at the first real keyword. */
function stripComments(sql: string): string {
  let out = '';
  scanSql(
    sql,
    (code) => {
      out += code;
    },
    (other) => {
      out += other.startsWith('--') || other.startsWith('/*') ? ' ' : other;
    },
  );
  return out;
}

/**
 * Classifies a statement the way Athena's `StatementType` does: queries and CTAS are DML,
 * `DESCRIBE`/`SHOW CREATE`/`EXPLAIN` are UTILITY (per the API reference), the rest of the
 * Hive-style catalog statements (CREATE, DROP, ALTER, MSCK, SHOW …) are DDL.
 */
export function classifyStatement(sql: string): StatementType {
  const words = stripComments(sql)
    .replace(/^[\s(]+/, '')
    .split(/\s+/, 4)
    .map((w) => w.toUpperCase());
  const [first, second] = words;
  if (['SELECT', 'WITH', 'VALUES', 'TABLE', 'INSERT', 'UNLOAD', 'DELETE', 'UPDATE', 'MERGE'].includes(first ?? '')) {
    return 'DML';
  }
  if (
    first === 'CREATE' &&
    /\bAS\s*\(?\s*(SELECT|WITH)\b/i.test(sql) &&
    !/^\s*CREATE\s+(OR\s+REPLACE\s+)?VIEW/i.test(sql)
  ) {
    return 'DML';
  }
  if (first === 'DESCRIBE' || first === 'DESC' || first === 'EXPLAIN') return 'UTILITY';
  if (first === 'SHOW' && second === 'CREATE') return 'UTILITY';
  return 'DDL';
}
