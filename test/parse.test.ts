import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/commands/parse.js';
import { UserError } from '../src/errors.js';
import { createClassifier } from '../src/flowlogs/classify.js';

const opts = { maxWindowSeconds: 90 * 86_400, classifier: createClassifier(['52.0.0.0/16']) };
const parse = (t: string) => parseCommand(t, opts);
const fails = (t: string) => {
  try {
    parse(t);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error(`"${t}" parsed`);
};

describe('parseCommand', () => {
  it('parses the grammar shared by Slack and the CLI', () => {
    expect(parse('who 142.250.80.46')).toEqual({
      name: 'who',
      ip: '142.250.80.46',
      window: { amount: 7, unit: 'd', seconds: 604_800 },
    });
    expect(parse('who 142.250.80.46 last 24h')).toMatchObject({ window: { amount: 24, unit: 'h', seconds: 86_400 } });
    expect(parse('  WHO   142.250.80.46   last 3 days ')).toMatchObject({ window: { seconds: 3 * 86_400 } });
    expect(parse('dns-bypass last 30d')).toMatchObject({ name: 'dns-bypass', window: { seconds: 30 * 86_400 } });
    expect(parse('domain 2607:f8b0:4004:c07::64')).toMatchObject({ name: 'domain', ip: '2607:f8b0:4004:c07::64' });
    expect(parse('top by namespace last 1d')).toMatchObject({
      name: 'top',
      by: 'namespace',
      window: { seconds: 86_400 },
    });
    expect(parse('cost')).toMatchObject({ name: 'cost', by: 'workload' });
    expect(parse('ip-history 10.40.12.34 last 2d')).toMatchObject({ name: 'ip-history', ip: '10.40.12.34' });
    expect(parse('')).toEqual({ name: 'help', topic: undefined });
    expect(parse('who `142.250.80.46`')).toMatchObject({ ip: '142.250.80.46' });
  });

  it('says what to type instead for bad input', () => {
    expect(fails('frobnicate')).toMatch(/Unknown command "frobnicate".*who 142\.250\.80\.46/);
    expect(fails('who')).toMatch(/needs an IP address/);
    expect(fails('who 999.1.1.1')).toMatch(/not an IP address/);
    expect(fails('who 10.1.2.3')).toMatch(/private\/internal.*ip-history 10\.1\.2\.3/);
    expect(fails('who 172.31.255.255')).toMatch(/internal/);
    expect(fails('who 100.64.0.1')).toMatch(/internal/);
    expect(fails('who 52.0.9.9')).toMatch(/internal/); // a configured VPC CIDR
    expect(fails('domain fd00::1')).toMatch(/internal/);
    expect(fails('who 1.2.3.4 last 91d')).toMatch(/longer than the maximum of 90 days.*who 1\.2\.3\.4 last 90d/);
    expect(fails('who 1.2.3.4 last 7w')).toMatch(/not a window.*last 24h/);
    expect(fails('who 1.2.3.4 last 0d')).toMatch(/at least 1h/);
    expect(fails('who 1.2.3.4 please')).toMatch(/Unexpected "please"/);
    expect(fails('top by pod')).toMatch(/workload, namespace, destination/);
  });

  it('never throws anything but a UserError, whatever the text (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parse(text);
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          expect(err.message.length).toBeLessThan(400);
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
});
