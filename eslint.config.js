// Lint: the recommended JavaScript rules, and typescript-eslint's type-checked recommended rules on the
// TypeScript (server and tests, through tsconfig.json) — above all no-floating-promises and
// no-misused-promises: a promise nobody awaits or catches turns a failed write into a crash or silence.
// Browser scripts in public/ and the few .js/.mjs tools are plain JavaScript, linted without type info.
import js from '@eslint/js';
import { dirname, relative, resolve, sep } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The architecture, as the folders under server/ may depend on each other (DESIGN.md). Each folder lists
 * the folders it may import; everything else is refused with the reason. The composition root (server/*.ts)
 * and the tests may import anything.
 */
export const LAYERS = {
  lib: { may: [], why: 'lib imports no feature' },
  db: { may: ['lib'], why: 'db knows no feature' },
  responses: { may: ['lib', 'db'], only: { db: ['connection.ts'] }, why: 'the stored response lies below respond and analytics (and its long scans read on the connection db/ keeps for them)' },
  accounts: { may: ['lib', 'audit', 'org'] },
  audit: { may: ['lib', 'accounts'] },
  org: { may: ['lib', 'accounts', 'audit'] },
  instruments: { may: ['lib', 'accounts', 'audit'], why: 'instruments never imports campaigns (a definition knows nothing of where it is used)' },
  campaigns: { may: ['lib', 'accounts', 'audit', 'org', 'instruments', 'responses'], why: 'campaigns never imports analytics: progress asks for counts through the function the app passes in' },
  invitations: { may: ['lib', 'accounts', 'audit', 'org', 'campaigns'] },
  credentials: { may: ['lib', 'campaigns', 'responses'], why: 'blind credentials know campaigns, their tokens and the response store (to count it); the submission service calls them, never the reverse' },
  respond: { may: ['lib', 'campaigns', 'instruments', 'responses', 'analytics', 'credentials'], only: { analytics: ['aggregates/increments.ts', 'aggregates/writer.ts'] }, why: 'respond hands increments to the aggregate writer and nothing else of analytics' },
  analytics: { may: ['lib', 'accounts', 'org', 'campaigns', 'instruments', 'responses'], why: 'analytics never imports respond or realtime: it reads stored responses and aggregates, and tells listeners what changed' },
  councils: { may: ['lib', 'accounts', 'audit', 'org', 'campaigns', 'instruments', 'analytics'], why: 'councils read results through analytics (the gate) and are read by no feature: what others show of them is passed in by features.ts' },
  realtime: { may: ['lib', 'accounts', 'campaigns', 'analytics', 'councils'], only: { councils: ['access.ts', 'changes.ts'] }, why: 'realtime publishes what analytics hands it, and tells council rooms what changed' },
  reports: { may: ['lib', 'accounts', 'org', 'campaigns', 'instruments', 'responses', 'analytics'], why: 'reports take every figure from analytics (and the response-level export the unit gate of suppression.ts); they never import respond or realtime' },
  demo: { may: ['lib', 'accounts', 'org', 'instruments', 'campaigns', 'responses', 'respond', 'analytics', 'councils'] },
  health: { may: ['lib', 'db'] },
  home: { may: ['lib', 'accounts', 'campaigns', 'invitations', 'instruments'], why: 'the home lists campaigns and invitation tasks through their services; what councils add is passed in by features.ts' },
};

/** The folder directly under server/ that a path lies in, and the path inside it (undefined for server/*.ts and outside). */
function placeOf(file) {
  const parts = relative(resolve(import.meta.dirname, 'server'), file).split(sep);
  if (parts[0] === '..' || parts.length < 2) return undefined;
  return { folder: parts[0], inside: parts.slice(1).join('/') };
}

const architecture = {
  meta: { type: 'problem', docs: { description: 'keeps the dependencies between the folders of server/ as DESIGN.md draws them' }, schema: [] },
  create(context) {
    const from = placeOf(context.filename);
    if (!from) return {};
    const check = (node, source = node.source) => {
      const spec = source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = placeOf(resolve(dirname(context.filename), spec).replace(/\.js$/, '.ts'));
      if (!to || to.folder === from.folder) return;
      const layer = LAYERS[from.folder];
      if (!layer) return context.report({ node, message: `server/${from.folder}/ is not in the architecture table (eslint.config.js LAYERS): add it with what it may import.` });
      const only = layer.only?.[to.folder];
      if (!layer.may.includes(to.folder) || (only && !only.includes(to.inside))) {
        context.report({ node, message: `server/${from.folder}/ may not import server/${to.folder}/${to.inside}${layer.why ? `: ${layer.why}` : ''}.` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => check(node, node.source) };
  },
};

export const pikirPlugin = { rules: { architecture } };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'data/', 'server/db/ferretdb/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Not yet: `any` at library boundaries (req.cookies, Handlebars' options.data, JSON.parse) and
      // redundant `!`/`as` — about 65 places, most in folders being restructured; to be turned on after.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['server/**/*.ts'],
    plugins: { pikir: pikirPlugin },
    rules: { 'pikir/architecture': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['public/**/*.js'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly', Chart: 'readonly', io: 'readonly', FormData: 'readonly', HTMLElement: 'readonly', requestAnimationFrame: 'readonly', Intl: 'readonly', location: 'readonly', history: 'readonly', CustomEvent: 'readonly', Event: 'readonly', CSS: 'readonly', DOMParser: 'readonly', structuredClone: 'readonly', crypto: 'readonly', btoa: 'readonly', atob: 'readonly', globalThis: 'readonly' },
    },
  },
);
