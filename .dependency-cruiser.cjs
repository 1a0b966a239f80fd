// The architecture as rules (`npm run depcheck`, part of `npm test`). Layers from the top; a module may import its own
// layer and the layers below it, never one above, and nothing may form a cycle.
//
//   entry       src/cli.ts, src/cli/          bin/egress → one subcommand
//   processes   src/server/, src/setup/, src/mcp/   what a long-running process or a tool runs
//   container   src/main.ts, src/container.ts  builds every long-lived client once, closes them once
//   slack       src/slack/                    receive: verify, parse, authorize, ack, enqueue
//   queue       src/queue/                    BullMQ queues, workers' processors, the digest's jobs
//   post        src/post/                     posting to Slack: parent message, thread replies, files
//   render      src/render/                   Answer → Block Kit | text | JSON | CSV | chart (pure)
//   digest      src/digest/                   the daily digest's findings and state
//   commands    src/commands/                 one file per command: parse → run → typed Answer
//   dns         src/dns/                      IP → names from resolver logs
//   sources     src/engine/, src/attribution/, src/aws/   query engines, IP → pod, EC2 owners
//   base        src/flowlogs/, src/util/, src/*.ts   windows, fields, classification, config, errors, logging
const LAYERS = [
  ['entry', '^src/(cli[.]ts$|cli/)'],
  ['processes', '^src/(server|setup|mcp)/'],
  ['container', '^src/(main|container)[.]ts$'],
  ['slack', '^src/slack/'],
  ['queue', '^src/queue/'],
  ['post', '^src/post/'],
  ['render', '^src/render/'],
  ['digest', '^src/digest/'],
  ['commands', '^src/commands/'],
  ['dns', '^src/dns/'],
  ['sources', '^src/(engine|attribution|aws)/'],
  ['base', '^src/((flowlogs|util)/|(?!(cli|main|container)[.]ts$)[^/]+[.]ts$)'],
];

const upward = LAYERS.flatMap(([name, path], i) =>
  i === 0
    ? []
    : [
        {
          name: `no-upward-from-${name}`,
          comment: `${name} may use only the layers below it (see the table at the top of .dependency-cruiser.cjs)`,
          severity: 'error',
          from: { path },
          to: { path: LAYERS.slice(0, i).map(([, p]) => `(${p})`).join('|') },
        },
      ],
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle means two modules cannot be understood (or tested) one without the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'no-test-code-in-src',
      comment: 'the shipped program does not depend on tests, fakes or the sample-world generator',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|dev|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
