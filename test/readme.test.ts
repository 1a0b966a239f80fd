/**
 * README.md is tested like code:
 * - every transcript block (a fenced block whose lines start with `$ ./bin/egress …` or `$ egress …`) is run through
 *   the CLI in-process against a freshly generated sample world (where it says `.data/sample`), and its output must
 *   match what the README shows (durations in ms aside). `EGRESS_README_UPDATE=1` rewrites the shown outputs instead;
 * - every other `egress …` line in a shell block must parse (subcommand and options, and the command text for the
 *   question form) without running;
 * - every `/egress …` Slack example must parse with the bot's parser;
 * - the configuration table lists every variable of src/config.ts with its real default and an example the app
 *   accepts; the troubleshooting table lists every ErrorCode of src/errors.ts; the flow-log LogFormat is the one the
 *   product needs; every deploy/ file it links exists.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../dev/sample/world.js';
import { buildProgram, type CliIo } from '../src/cli.js';
import { parseCommand } from '../src/commands/parse.js';
import { loadConfig } from '../src/config.js';
import { parseDuration } from '../src/duration.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { missingRequired, parseLogFormat } from '../src/flowlogs/fields.js';
import { runCli as runCliWith } from './support/run-cli.js';

const root = path.resolve(import.meta.dirname, '..');
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const UPDATE = process.env.EGRESS_README_UPDATE === '1';
const SAMPLE = '.data/sample';

interface Block {
  lang: string;
  body: string;
  /** Offset of the body in the README. */
  start: number;
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const m of text.matchAll(/^```([\w-]*)\n([\s\S]*?)^```$/gm)) {
    out.push({ lang: m[1], body: m[2], start: (m.index ?? 0) + m[0].indexOf('\n') + 1 });
  }
  return out;
}

interface Transcript {
  command: string;
  expected: string;
  block: Block;
}

const EGRESS_LINE = /^(?:\.\/bin\/egress|egress)\s+/;

/** `$ cmd` lines followed by their output, in blocks that start with `$ ./bin/egress` / `$ egress`. */
function transcripts(bs: Block[]): Transcript[] {
  const out: Transcript[] = [];
  for (const b of bs) {
    if (!/^\$ (\.\/bin\/)?egress /.test(b.body)) continue;
    const parts = b.body.split(/^(?=\$ )/m);
    for (const p of parts) {
      const [first, ...rest] = p.split('\n');
      out.push({ command: first.slice(2).trim(), expected: rest.join('\n'), block: b });
    }
  }
  return out;
}

/** Shell lines (continuations joined) of sh/bash blocks. */
function shellLines(bs: Block[]): string[] {
  return bs
    .filter((b) => ['sh', 'bash', 'shell'].includes(b.lang))
    .flatMap((b) => b.body.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

const normalise = (s: string) =>
  s
    .split('\n')
    .map((l) => l.replace(/\b\d+ ms\b/g, 'N ms').trimEnd())
    .join('\n')
    .trim();

const clock = () => Math.floor(Date.parse('2026-11-20T12:00:00Z') / 1000);

/** Runs `egress <argv>` in-process with a clean environment; returns exit code and output. */
function runCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCliWith(argv, env, clock());
}

const all = blocks(readme);
const operatorStart = readme.indexOf('<!-- operator -->');

describe('README transcripts run on the sample world', () => {
  let world: string;
  const updates: Array<{ t: Transcript; actual: string }> = [];

  beforeAll(async () => {
    world = mkdtempSync(path.join(os.tmpdir(), 'egress-readme-'));
    await generateWorld({ dir: world });
  }, 120_000);

  afterAll(() => {
    if (UPDATE && updates.length) {
      let text = readFileSync(readmePath, 'utf8');
      for (const { t, actual } of updates) {
        const old = `$ ${t.command}\n${t.expected}`;
        const i = text.indexOf(old);
        if (i < 0) throw new Error(`cannot find the transcript of ${t.command} to update`);
        const tail = t.expected.endsWith('\n') || t.expected === '' ? '\n' : '';
        text = `${text.slice(0, i)}$ ${t.command}\n${actual}${tail}${text.slice(i + old.length)}`;
      }
      writeFileSync(readmePath, text);
    }
    if (world) rmSync(world, { recursive: true, force: true });
  });

  const ts = transcripts(all);

  it('has transcripts for the commands the operator section promises', () => {
    const names = ts.map((t) => t.command.replace(EGRESS_LINE, '').split(/\s+/)[0]);
    for (const n of ['who', 'dns-bypass', 'domain', 'ip-history', 'top', 'cost', 'rejects', 'doctor', 'digest']) {
      expect(names, `no README example for ${n}`).toContain(n);
    }
  });

  it.each(ts.map((t) => [t.command, t]))('$ %s', async (_c, t) => {
    const words = t.command.replace(EGRESS_LINE, '').split(/\s+/);
    const argv = words.map((w) => (w.startsWith(SAMPLE) ? world + w.slice(SAMPLE.length) : w));
    const r = await runCli(argv);
    expect(r.code, r.err).toBe(0);
    const actual = r.out.split(world).join(SAMPLE).replace(/\n+$/, '');
    if (UPDATE) {
      // Only stale outputs are rewritten (a different duration alone is not stale).
      if (normalise(t.expected) !== normalise(actual)) updates.push({ t, actual });
      return;
    }
    expect(
      normalise(t.expected),
      `README output of "${t.command}" is stale; run EGRESS_README_UPDATE=1 npx vitest run test/readme.test.ts`,
    ).toBe(normalise(actual));
  });
});

describe('every other egress command in the README parses', () => {
  const lines = shellLines(all).filter((l) => EGRESS_LINE.test(l));

  it('there are some', () => {
    expect(lines.length).toBeGreaterThan(3);
  });

  it.each(lines)('%s', async (line) => {
    const argv = line.replace(EGRESS_LINE, '').split(/\s+/);
    class Parsed extends Error {}
    let out = '';
    const collect = (s: string) => {
      out += s;
    };
    const io: CliIo = { out: collect, err: collect, env: {}, clock };
    const program = buildProgram(io, () => {});
    let questionWords: string[] | undefined;
    program.hook('preAction', (_this, action) => {
      if (action === program) questionWords = action.args;
      throw new Parsed();
    });
    const err = await program.parseAsync(argv, { from: 'user' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, `${line}: ${out}`).toBeInstanceOf(Parsed);
    if (questionWords?.length) {
      expect(() =>
        parseCommand(questionWords?.join(' ') ?? '', {
          maxWindowSeconds: 90 * 86400,
          classifier: createClassifier([]),
        }),
      ).not.toThrow();
    }
  });
});

describe('Slack examples parse', () => {
  const examples = [...readme.matchAll(/`\/egress ([^`]+)`/g)].map((m) => m[1]);

  it('there are some', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it.each(examples)('/egress %s', (text) => {
    expect(() => parseCommand(text, { maxWindowSeconds: 90 * 86400, classifier: createClassifier([]) })).not.toThrow();
  });
});

describe('configuration reference', () => {
  const source = readFileSync(path.join(root, 'src', 'config.ts'), 'utf8');
  const schemaText = /const schema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? '';
  const variables = [...schemaText.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
  const section = readme.slice(readme.indexOf('## 4. Configuration reference'));
  const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \| (.+?) \| .+ \|$/gm)].map((m) => ({
    name: m[1],
    def: m[2].trim(),
    example: m[3].trim(),
  }));
  const base = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test' };

  it('reads the schema', () => {
    expect(variables.length).toBeGreaterThan(20);
  });

  it('lists every variable of src/config.ts, and only those', () => {
    expect(rows.map((r) => r.name).sort()).toEqual([...variables].sort());
  });

  it.each(rows.map((r) => [r.name, r]))('%s: the default is the real one and the example is accepted', (name, r) => {
    const defaults = loadConfig(base) as Record<string, unknown>;
    const actual = name in base ? undefined : defaults[name];
    const code = /^`([^`]*)`$/.exec(r.def);
    if (!code) {
      expect(r.def, `${name}: write the default in backticks, or "—" when unset`).toMatch(/^—/);
      expect(
        actual === undefined || (Array.isArray(actual) && actual.length === 0),
        `${name} has default ${String(actual)}`,
      ).toBe(true);
    } else if (typeof actual === 'number' && parseDuration(code[1]) !== undefined && !/^\d+(\.\d+)?$/.test(code[1])) {
      expect(parseDuration(code[1])).toBe(actual);
    } else {
      expect(String(actual)).toBe(code[1]);
    }
    const example = /^`([^`]*)`$/.exec(r.example)?.[1];
    expect(example, `${name}: give an example value in backticks`).toBeDefined();
    expect(() => loadConfig({ ...base, [name]: example })).not.toThrow();
  });
});

describe('troubleshooting', () => {
  it('explains every ErrorCode, and only those', () => {
    const errors = readFileSync(path.join(root, 'src', 'errors.ts'), 'utf8');
    const union = /export type ErrorCode =([\s\S]*?);/.exec(errors)?.[1] ?? '';
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    const section = readme.slice(readme.indexOf('## 6. Troubleshooting'), readme.indexOf('## 7. Security model'));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(codes.sort());
  });
});

describe('security model', () => {
  it('names every field the logger redacts', () => {
    const logger = readFileSync(path.join(root, 'src', 'logger.ts'), 'utf8');
    const paths = /paths:\s*\[([\s\S]*?)\]/.exec(logger)?.[1] ?? '';
    const fields = new Set([...paths.matchAll(/'([^']+)'/g)].map((m) => m[1].split('.').pop() as string));
    expect(fields.size).toBeGreaterThan(5);
    const section = readme.slice(readme.indexOf('## 7. Security model'));
    for (const f of fields)
      expect(section, `README security model does not mention redacted field ${f}`).toContain(`\`${f}\``);
  });

  it('names the allowlists and the rate limit the bot enforces', () => {
    const section = readme.slice(readme.indexOf('## 7. Security model'));
    for (const v of ['EGRESS_ALLOWED_CHANNELS', 'EGRESS_ALLOWED_USERS', 'EGRESS_RATE_LIMIT_PER_MIN'])
      expect(section).toContain(v);
  });
});

describe('operator facts', () => {
  const operator = readme.slice(operatorStart);

  it('sits below the lead’s part, behind the marker', () => {
    expect(operatorStart).toBeGreaterThan(0);
  });

  it('gives the exact LogFormat, which has every field the product needs', () => {
    const format =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the flow-log LogFormat syntax, not a template
      '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${flow-direction} ${traffic-path} ${pkt-srcaddr} ${pkt-dstaddr}';
    expect(operator).toContain(`\n${format}\n`);
    expect(operator).toContain(`--log-format '${format}'`);
    const fields = parseLogFormat(format);
    expect(missingRequired(fields)).toEqual([]);
    for (const f of ['pkt-srcaddr', 'pkt-dstaddr', 'flow-direction', 'traffic-path']) expect(fields).toContain(f);
  });

  it('draws the request path', () => {
    const mermaid = all.find((b) => b.lang === 'mermaid' && b.start > operatorStart);
    expect(mermaid).toBeDefined();
    for (const word of ['Slack', 'receiver', 'BullMQ', 'Redis', 'worker', 'Athena', 'Kubernetes', 'EC2']) {
      expect(mermaid?.body).toContain(word);
    }
  });

  it('links only files that exist', () => {
    const paths = [...operator.matchAll(/\b(deploy\/[\w./-]+\.(?:ya?ml|json)|deploy\/[\w/-]+\/)(?=[`)\s])/g)].map(
      (m) => m[1],
    );
    expect(paths.length).toBeGreaterThan(5);
    for (const p of new Set(paths)) expect(existsSync(path.join(root, p)), p).toBe(true);
    expect(operator).toContain('kubectl apply -k deploy/overlays/example');
  });
});
