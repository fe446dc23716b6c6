/**
 * The dependency rules of docs/architecture.md ("Dependency rules"), checked by `npm run deps`
 * (part of `npm test`). A boundary that matters fails the build instead of eroding quietly.
 *
 * A module is a folder `src/server/modules/<m>/`. Its public interface is its `index.ts`: the one
 * file another module, the CLI or the HTTP layer may import. The composition root (`context.ts`
 * builds the services, `app.ts` registers the routes, and the job registry composed next to
 * `context.ts`) wires every module's services, routes and jobs, so it may import past `index.ts`,
 * but never a module's `*.table.ts` or `*.repository.ts`. The one file that imports tables from
 * outside their module is `db/schema.ts`, which composes Kysely's `DB` type from them (type-only).
 */
const MODULE = '^src/server/modules/([^/]+)/';
const INDEX = '^src/server/modules/[^/]+/index\\.ts$';
const COMPOSITION_ROOT = '^src/server/(context|app|jobs|context\\.[a-z-]+)\\.ts$';
const SCHEMA = '^src/server/db/schema\\.ts$';
const TABLE_OR_REPOSITORY = '^src/server/modules/[^/]+/.+\\.(table|repository)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles, type-only imports included: split the shared piece out instead.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'module-through-index',
      comment: "A module imports another module only through that module's index.ts (its public interface).",
      severity: 'error',
      from: { path: MODULE },
      to: { path: '^src/server/modules/[^/]+/', pathNot: ['^src/server/modules/$1/', INDEX] },
    },
    {
      name: 'outside-through-index',
      comment: "Code outside the modules (CLI, HTTP layer, web, contracts) reaches a module only through its index.ts; the composition root may wire services, routes and jobs.",
      severity: 'error',
      from: { path: '^src/', pathNot: [MODULE, COMPOSITION_ROOT, SCHEMA] },
      to: { path: '^src/server/modules/[^/]+/', pathNot: [INDEX] },
    },
    {
      name: 'no-foreign-table-or-repository',
      comment: "Nothing outside a module imports its *.table.ts or *.repository.ts (db/schema.ts composes the DB type from the tables).",
      severity: 'error',
      from: { path: '^src/', pathNot: [MODULE, SCHEMA] },
      to: { path: TABLE_OR_REPOSITORY },
    },
    {
      name: 'infrastructure-knows-no-module',
      comment: 'src/server/jobs/ and src/server/db/ import no module and not the composition root: modules hand them what they need.',
      severity: 'error',
      from: { path: '^src/server/(jobs|db)/', pathNot: [SCHEMA] },
      to: { path: ['^src/server/modules/', COMPOSITION_ROOT] },
    },
    {
      name: 'schema-imports-tables-only',
      comment: 'db/schema.ts may import only the modules\' *.table.ts, and only their types.',
      severity: 'error',
      from: { path: SCHEMA },
      to: { path: '^src/server/modules/', pathNot: ['^src/server/modules/[^/]+/[^/]+\\.table\\.ts$'] },
    },
    {
      name: 'schema-imports-types-only',
      comment: 'db/schema.ts imports the tables as types (import type), so db/ loads no module at run time.',
      severity: 'error',
      from: { path: SCHEMA },
      to: { path: '^src/server/modules/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-through-contracts',
      comment: 'The web app (src/web/) shares only the contracts with the server: it imports nothing from server/ or cli/.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'web-layers-api',
      comment: 'The web app layers (src/web/README.md): api ← components ← features ← routes ← app; api/ imports no later layer.',
      severity: 'error',
      from: { path: '^src/web/api/' },
      to: { path: ['^src/web/(components|features|routes)/', '^src/web/(app|main)\\.tsx$'] },
    },
    {
      name: 'web-layers-components',
      comment: 'components/ are building blocks with no feature in them: they import no feature, route or the shell.',
      severity: 'error',
      from: { path: '^src/web/components/' },
      to: { path: ['^src/web/(features|routes)/', '^src/web/(app|main)\\.tsx$'] },
    },
    {
      name: 'web-layers-features',
      comment: 'A feature imports no route and not the shell; what two features share moves down a layer or to a shared feature.',
      severity: 'error',
      from: { path: '^src/web/features/' },
      to: { path: ['^src/web/routes/', '^src/web/(app|main)\\.tsx$'] },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'src/contracts/ (zod schemas shared by server and web) imports nothing from server/, web/ or cli/.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: '^src/(server|web|cli)/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
