/**
 * `EGRESS_MCP_TOKENS`: inline JSON or a file, checked with readable messages that never quote a token; and the
 * `egress mcp --http` refusals that come before anything starts (no tokens, a tool no command has).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseMcpTokens, tokenSha256 } from '../src/mcp-tokens.js';
import { tempDir } from './support/mini-world.js';
import { runCli } from './support/run-cli.js';

const SECRET = 'Zq3-very-secret-token-value-42';

/** The configuration error message for these tokens (or '' when accepted). */
function configError(value: string): string {
  try {
    loadConfig({ EGRESS_MCP_TOKENS: value });
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('EGRESS_MCP_TOKENS', () => {
  it('keeps each token as its sha256 with a label, tools and namespaces', () => {
    const config = loadConfig({
      EGRESS_MCP_TOKENS: JSON.stringify({
        [SECRET]: { tools: ['who', 'cost'], namespaces: ['payments'] },
        'another-token-0123456789': { tools: '*', name: 'oncall' },
      }),
    });
    expect(config.EGRESS_MCP_TOKENS).toEqual([
      {
        sha256: tokenSha256(SECRET),
        label: `sha256:${tokenSha256(SECRET).slice(0, 8)}`,
        tools: ['who', 'cost'],
        namespaces: ['payments'],
      },
      { sha256: tokenSha256('another-token-0123456789'), label: 'oncall', tools: '*' },
    ]);
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(loadConfig({}).EGRESS_MCP_TOKENS).toEqual([]);
  });

  it('reads the same JSON from a file whose path the variable holds', async () => {
    const file = path.join(await tempDir('egress-mcp-tokens-'), 'tokens.json');
    writeFileSync(file, JSON.stringify({ [SECRET]: { tools: ['who'], name: 'from-file' } }));
    expect(loadConfig({ EGRESS_MCP_TOKENS: file }).EGRESS_MCP_TOKENS.map((t) => t.label)).toEqual(['from-file']);
    expect(configError('/nonexistent/tokens.json')).toMatch(
      /EGRESS_MCP_TOKENS: neither JSON nor a readable file \(ENOENT\); expected a file path, or \{/,
    );
    // A bare token set by mistake is taken for a path, and not quoted back either.
    expect(configError(SECRET)).not.toContain(SECRET);
  });

  it.each([
    ['broken JSON', `{"${SECRET}": {"tools": ["who"]`, /not valid JSON; expected \{"<token>"/],
    ['a list', `["${SECRET}"]`, /expected an object of at least one token/],
    ['no tools', JSON.stringify({ [SECRET]: {} }), /token #1 \(sha256:[0-9a-f]{8}\): tools: either "\*" or/],
    ['tools: []', JSON.stringify({ [SECRET]: { tools: [] } }), /tools: either "\*" or a non-empty list/],
    ['namespaces: []', JSON.stringify({ [SECRET]: { tools: '*', namespaces: [] } }), /list at least one namespace/],
    ['a bad namespace', JSON.stringify({ [SECRET]: { tools: '*', namespaces: ['Pay ments'] } }), /namespace name/],
    ['an unknown key', JSON.stringify({ [SECRET]: { tools: '*', scopes: ['x'] } }), /Unrecognized key: "scopes"/],
    ['a short token', JSON.stringify({ short: { tools: '*' } }), /at least 16 characters/],
    [
      'two tokens of one name',
      JSON.stringify({ [SECRET]: { tools: '*', name: 'a' }, [`${SECRET}2`]: { tools: '*', name: 'a' } }),
      /two tokens are named "a"/,
    ],
  ])('%s: a readable error that never quotes the token', (_what, value, message) => {
    const error = configError(value);
    expect(error).toMatch(/^Invalid configuration:\n {2}EGRESS_MCP_TOKENS: /);
    expect(error).toMatch(message);
    expect(error).not.toContain(SECRET);
    expect(error).not.toContain('short:');
  });

  it('every problem of every token is listed at once', () => {
    const { problems } = parseMcpTokens(
      JSON.stringify({ [SECRET]: { tools: [] }, 'x-token-0123456789abc': { tools: '*', namespaces: [] } }),
    );
    expect(problems).toHaveLength(2);
  });
});

describe('egress mcp --http refuses to start without usable tokens', () => {
  const run = (env: NodeJS.ProcessEnv) => runCli(['mcp', '--http'], env);

  it('no EGRESS_MCP_TOKENS: exit 2, nothing listens', async () => {
    const r = await run({});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/EGRESS_MCP_TOKENS: required for `egress mcp --http`/);
  });

  it('a tool no command has (a typo would deny silently): exit 2, naming the known ones', async () => {
    const r = await run({ EGRESS_MCP_TOKENS: JSON.stringify({ [SECRET]: { tools: ['who', 'costs'], name: 'ci' } }) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/token ci lists unknown tools costs; known: who, from, dns-bypass/);
    expect(r.err).not.toContain(SECRET);
  });
});
