import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, missingRequired, parseHeader, parseLogFormat } from '../src/flowlogs/fields.js';

describe('flow-log formats', () => {
  it('parses a header line in any order', () => {
    expect(parseHeader('pkt-srcaddr version srcaddr start\n')).toEqual(['pkt-srcaddr', 'version', 'srcaddr', 'start']);
  });
  it('parses a LogFormat as DescribeFlowLogs returns it', () => {
    const f = parseLogFormat(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a LogFormat is literally ${field} tokens
      '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path} ${reject-reason}',
    );
    expect(f).toEqual([
      'version',
      'account-id',
      'interface-id',
      'srcaddr',
      'dstaddr',
      'pkt-srcaddr',
      'pkt-dstaddr',
      'flow-direction',
      'traffic-path',
      'reject-reason',
    ]);
  });
  it('refuses unknown, duplicate and malformed fields', () => {
    expect(() => parseHeader('version bogus-field')).toThrow(/unknown flow-log field "bogus-field"/);
    expect(() => parseHeader('version version')).toThrow(/twice/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a LogFormat is literally ${field} tokens
    expect(() => parseLogFormat('${version} srcaddr')).toThrow(/not of the form/);
  });
  it('says which required fields a format lacks', () => {
    expect(missingRequired(DEFAULT_FIELDS)).toEqual(['pkt-srcaddr', 'pkt-dstaddr']);
  });
});
