// `npm run build` (also `prepare`, so `npm ci` leaves a runnable dist/): the server compiled to
// dist/ as one bundle by esbuild, three entries (dist/main.js, the server; dist/answer-worker.js,
// each answer worker's thread; dist/platform-worker.js, the platform calls' thread) and the
// chunks they share. One bundle, not a tree of modules:
// Node 20 resolves, reads and compiles each module file on its own, and the answer worker's
// some 900 files (kysely, LangChain, bolt …) took about 0.4 s of its start; bundled, about
// 0.1 s (README, "Benchmark"). Type checking is `npm run typecheck` (tsc), which CI runs.
//
// Left out of the bundle, loaded from node_modules at run time: native addons (better-sqlite3,
// hnswlib-node), kuromoji (its dictionary is found next to its module, and its internals are
// patched by path: src/text/kuromoji-target-map.ts), the PostgreSQL driver, and the model's
// client (loaded only when a model is configured). The pages' assets are read from src/
// (src/channels/*/public). dist/ is removed first, so that nothing of an older build lingers.
// Plain JavaScript: it runs before anything is compiled, with node alone.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

try {
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/main.ts', 'answer-worker': 'src/app/worker/answer-worker.ts', 'platform-worker': 'src/app/worker/platform-worker.ts' },
    outdir: dist,
    // Every file directly in dist/: config.ts finds the project one folder up from its module,
    // and the answer pool finds ./answer-worker.js and ./platform-worker.js next to its own.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'hnswlib-node', 'kuromoji', 'kuromoji/*', 'pg', 'pg-native', '@langchain/openai', 'openai'],
    // The bundled CommonJS packages call require(): an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
    // Optional packages that are not installed (ws's bufferutil …) stay require() calls that fail and are caught, as without a bundle.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
} catch {
  // esbuild has printed what failed.
  process.exit(1);
}
