/**
 * deploy/slack-app-manifest.yaml and its Socket Mode twin against what the code does.
 *
 * The scan reads src/ for every Slack Web API method it calls (`client.chat.postMessage(`, `.files.uploadV2(`,
 * `usergroups.users.list(`, `apiCall('x.y'`, Bolt's `say(`), every Bolt listener it registers (`app.event('…')`,
 * `app.command(…)`, `app.action(…)`), maps them to the bot scopes / manifest features they need, and checks that the
 * manifests grant all of them and nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, usageHint } from '../src/commands/registry.js';

const root = path.resolve(import.meta.dirname, '..');

/** Bot scopes each Web API method needs (https://docs.slack.dev/reference/methods). `[]` = no scope needed. */
const SCOPES_OF_METHOD: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  // uploadV2 = files.getUploadURLExternal + upload + files.completeUploadExternal, both files:write.
  'files.uploadV2': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'reactions.add': ['reactions:write'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
};
/** Bot scopes each Events API event needs. */
const SCOPES_OF_EVENT: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts)$/.test(e.name) ? [p] : [];
  });
}

interface SlackUsage {
  methods: Map<string, string[]>;
  events: Map<string, string[]>;
  commands: string[];
  interactive: string[];
}

/** Web API methods, events, slash commands and interactive listeners used under `dir` (value: files using them). */
function scanSlackUsage(dir: string): SlackUsage {
  const usage: SlackUsage = { methods: new Map(), events: new Map(), commands: [], interactive: [] };
  const add = (m: Map<string, string[]>, k: string, f: string) => m.set(k, [...new Set([...(m.get(k) ?? []), f])]);
  const families =
    'admin|api|apps|auth|bookmarks|bots|calls|chat|conversations|dnd|emoji|files|pins|reactions|reminders|search|team|usergroups|users|views|workflows';
  const methodCall = new RegExp(`\\.(${families})\\.(\\w+)(?:\\.(\\w+))?\\s*\\(`, 'g');
  for (const file of sourceFiles(dir)) {
    const rel = path.relative(root, file);
    const text = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, ''); // drop comment lines
    for (const m of text.matchAll(methodCall)) add(usage.methods, [m[1], m[2], m[3]].filter(Boolean).join('.'), rel);
    for (const m of text.matchAll(/\.apiCall\(\s*['"`]([\w.]+)['"`]/g)) add(usage.methods, m[1], rel);
    // Bolt's say() posts with chat.postMessage; respond() uses the response_url (no scope).
    if (/\bsay\(/.test(text)) add(usage.methods, 'chat.postMessage', rel);
    for (const m of text.matchAll(/\bapp\.event\(\s*['"`]([\w.]+)['"`]/g)) add(usage.events, m[1], rel);
    if (/\bapp\.message\(/.test(text)) add(usage.events, 'message.channels', rel);
    if (/\bapp\.command\(/.test(text)) usage.commands.push(rel);
    if (/\bapp\.(action|view|shortcut|options)\(/.test(text)) usage.interactive.push(rel);
  }
  return usage;
}

interface SlackManifest {
  display_information: { name: string; description?: string };
  features: {
    bot_user: { display_name: string; always_online?: boolean };
    slash_commands: Array<{
      command: string;
      url?: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
    }>;
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[]; user_events?: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
    org_deploy_enabled?: boolean;
    token_rotation_enabled?: boolean;
  };
}

const load = (f: string) => parse(readFileSync(path.join(root, 'deploy', f), 'utf8')) as SlackManifest;
const manifests = {
  http: load('slack-app-manifest.yaml'),
  socket: load('slack-app-manifest.socket-mode.yaml'),
};
const usage = scanSlackUsage(path.join(root, 'src'));

/** The bot scopes @slack/web-api knows (its `BotScope` type), so a typo'd scope fails here, not at install time. */
function knownBotScopes(): Set<string> {
  const req = createRequire(import.meta.url);
  const dts = path.join(path.dirname(req.resolve('@slack/web-api')), 'types', 'request', 'manifest.d.ts');
  const m = /type BotScope = ([^;]+);/.exec(readFileSync(dts, 'utf8'));
  if (!m) throw new Error(`BotScope not found in ${dts}`);
  return new Set([...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]));
}

const needed = () => {
  const scopes = new Map<string, string[]>();
  const need = (scope: string, why: string) => scopes.set(scope, [...(scopes.get(scope) ?? []), why]);
  for (const [method, files] of usage.methods) {
    const s = SCOPES_OF_METHOD[method];
    if (!s) throw new Error(`${method} (called in ${files.join(', ')}): add its scopes to SCOPES_OF_METHOD`);
    for (const x of s) need(x, method);
  }
  for (const [event, files] of usage.events) {
    const s = SCOPES_OF_EVENT[event];
    if (!s) throw new Error(`event ${event} (in ${files.join(', ')}): add its scopes to SCOPES_OF_EVENT`);
    for (const x of s) need(x, `event ${event}`);
  }
  if (usage.commands.length) need('commands', 'slash command');
  return scopes;
};

describe('the scan', () => {
  it('finds the calls the bot is built on', () => {
    expect([...usage.methods.keys()]).toEqual(
      expect.arrayContaining(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'files.uploadV2']),
    );
    expect([...usage.events.keys()]).toContain('app_mention');
    expect(usage.commands.length).toBeGreaterThan(0);
  });

  it('knows the scopes of every method and event the code uses', () => {
    expect(() => needed()).not.toThrow();
  });
});

describe.each(Object.entries(manifests))('%s manifest', (mode, m) => {
  const granted = new Set(m.oauth_config.scopes.bot);

  it.each([...needed()].map(([scope, why]) => [scope, why.join(', ')]))('grants %s (for %s)', (scope) => {
    expect(granted.has(scope)).toBe(true);
  });

  it('grants nothing the code does not use, and no user scopes', () => {
    const need = needed();
    expect([...granted].filter((s) => !need.has(s))).toEqual([]);
    expect(m.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('names only scopes Slack knows', () => {
    const known = knownBotScopes();
    expect([...granted].filter((s) => !known.has(s))).toEqual([]);
  });

  it('subscribes exactly to the events the code listens to', () => {
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual([...usage.events.keys()].sort());
    expect(m.settings.event_subscriptions.user_events ?? []).toEqual([]);
  });

  it('declares /egress with a usage hint naming every command', () => {
    expect(m.features.slash_commands).toHaveLength(1);
    const c = m.features.slash_commands[0];
    expect(c.command).toBe('/egress');
    expect(c.command.length).toBeLessThanOrEqual(32);
    expect(c.description.length).toBeLessThanOrEqual(2000);
    expect(c.usage_hint?.length).toBeLessThanOrEqual(1000);
    // Generated from the command specs (`npm run manifests`), and naming each of them.
    expect(c.usage_hint).toBe(usageHint());
    const names = COMMANDS.map((x) => x.name);
    expect(names.length).toBeGreaterThan(2);
    for (const n of names)
      expect(c.usage_hint, `usage hint lacks ${n}`).toMatch(new RegExp(`(^|[^a-z-])${n}([^a-z-]|$)`));
  });

  it('turns interactivity on (buttons, and Slack requires it for the bot) and keeps to Slack’s length limits', () => {
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.display_information.name.length).toBeLessThanOrEqual(35);
    expect((m.display_information.description ?? '').length).toBeLessThanOrEqual(140);
    expect(m.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    expect(m.settings.org_deploy_enabled).toBe(false);
  });

  if (mode === 'http') {
    it('sends commands, events and interactivity to the one receiver endpoint', () => {
      const urls = [
        m.features.slash_commands[0].url,
        m.settings.event_subscriptions.request_url,
        m.settings.interactivity.request_url,
      ];
      expect(urls).toEqual(Array(3).fill('https://EXAMPLE/slack/events'));
      expect(m.settings.socket_mode_enabled).toBe(false);
      // The receiver listens there (src/slack/app.ts).
      expect(readFileSync(path.join(root, 'src', 'slack', 'app.ts'), 'utf8')).toContain("'/slack/events'");
    });
  } else {
    it('uses Socket Mode and no request URLs', () => {
      expect(m.settings.socket_mode_enabled).toBe(true);
      expect(m.features.slash_commands[0].url).toBeUndefined();
      expect(m.settings.event_subscriptions.request_url).toBeUndefined();
      expect(m.settings.interactivity.request_url).toBeUndefined();
    });
  }
});

describe('the two manifests', () => {
  it('differ only in how Slack reaches the bot', () => {
    const strip = (m: SlackManifest) => {
      const c = structuredClone(m) as unknown as {
        features: { slash_commands: Array<{ url?: string }> };
        settings: Record<string, unknown> & {
          event_subscriptions: { request_url?: string };
          interactivity: { request_url?: string };
        };
      };
      for (const s of c.features.slash_commands) delete s.url;
      delete c.settings.event_subscriptions.request_url;
      delete c.settings.interactivity.request_url;
      delete c.settings.socket_mode_enabled;
      return c;
    };
    expect(strip(manifests.socket)).toEqual(strip(manifests.http));
  });
});
