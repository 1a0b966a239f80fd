import { FASTLY, GOOGLE } from './scenario.js';

/** One Resolver answer as AWS logs it. */
export interface Answer {
  Rdata: string;
  Type: string;
  Class: 'IN';
}

/** A scripted Resolver query. */
export interface ScriptedQuery {
  at: string;
  name: string;
  type: 'A' | 'AAAA' | 'TXT';
  rcode?: 'NXDOMAIN';
  answers: Answer[];
}

/** An A or AAAA answer, by the address family. */
export const ipAnswer = (ip: string): Answer => ({ Rdata: ip, Type: ip.includes(':') ? 'AAAA' : 'A', Class: 'IN' });
/** A CNAME answer; Resolver lists it before the addresses it leads to. */
export const cnameAnswer = (target: string): Answer => ({ Rdata: target, Type: 'CNAME', Class: 'IN' });
const q = (at: string, name: string, type: ScriptedQuery['type'], answers: Answer[]): ScriptedQuery => ({
  at,
  name,
  type,
  answers,
});

/**
 * Every scripted Resolver query (srcaddr is always CoreDNS's ClusterIP). Covers a shared address (two names → one IP),
 * a CNAME chain, AAAA answers, NXDOMAIN with no answers, and the lookback edges of `last 7d` (now − 7d − 24h).
 */
export const SCRIPTED_QUERIES: readonly ScriptedQuery[] = [
  ...[
    '2026-11-13T11:59:57Z',
    '2026-11-17T09:14:58Z',
    '2026-11-18T14:19:58Z',
    '2026-11-19T10:00:03Z',
    '2026-11-20T05:59:58Z',
    '2026-11-20T11:59:57Z',
  ].map((at) => q(at, 'www.googleapis.com.', 'A', [ipAnswer(GOOGLE)])),
  q('2026-11-20T05:59:58Z', 'www.googleapis.com.', 'AAAA', [ipAnswer('2607:f8b0:4006:80f::200a')]),
  q('2026-11-14T01:59:58Z', 'storage.googleapis.com.', 'A', [ipAnswer(GOOGLE), ipAnswer('142.250.65.187')]),
  q('2026-11-20T01:59:58Z', 'storage.googleapis.com.', 'A', [ipAnswer('142.250.65.187'), ipAnswer(GOOGLE)]),
  q('2026-11-12T12:00:00Z', 'maps.googleapis.com.', 'A', [ipAnswer(GOOGLE)]), // now−8d: first second of the 7d lookback
  q('2026-11-12T11:59:59Z', 'legacy.googleusercontent.com.', 'A', [ipAnswer(GOOGLE)]), // now−8d−1s: before it
  q('2026-11-11T12:00:00Z', 'old.example-cdn.com.', 'A', [ipAnswer(GOOGLE)]), // now−9d
  // The address only inside TXT text: not an A/AAAA answer, so never a domain of 142.250.80.46.
  q('2026-11-18T09:00:00Z', 'spf-check.example.org.', 'TXT', [
    { Rdata: `"v=spf1 ip4:${GOOGLE} -all"`, Type: 'TXT', Class: 'IN' },
  ]),
  { ...q('2026-11-19T10:00:02Z', 'www.googleapis.com.ec2.internal.', 'A', []), rcode: 'NXDOMAIN' },
  { ...q('2026-11-17T09:14:50Z', 'payments-db.corp.internal.', 'A', []), rcode: 'NXDOMAIN' },
  q('2026-11-16T10:04:58Z', 'pypi.org.', 'A', [ipAnswer(FASTLY), ipAnswer('151.101.65.223')]),
  q('2026-11-16T10:04:59Z', 'files.pythonhosted.org.', 'A', [
    cnameAnswer('dualstack.python.map.fastly.net.'),
    ipAnswer(FASTLY),
    ipAnswer('151.101.65.69'),
  ]),
  q('2026-11-16T10:04:59Z', 'files.pythonhosted.org.', 'AAAA', [
    cnameAnswer('dualstack.python.map.fastly.net.'),
    ipAnswer('2a04:4e42::319'),
  ]),
  q('2026-11-19T14:59:58Z', 'dns.google.', 'A', [ipAnswer('8.8.8.8'), ipAnswer('8.8.4.4')]),
];
