/**
 * One index build in its own process, so that each build's peak memory is its own (no shared
 * heap with the bench or an earlier build). Prints one JSON line on stdout:
 * { buildMs, stackMs, chunks, sections, maxRssMb, build }.
 * Usage: node --import tsx scripts/bench/build-child.ts <source> <indexDir> <planVersion>
 */
import { loadTextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { planToBuild, readPlanRegistry } from '../../src/corpus/plan-registry.js';
import { buildPlanIndex } from '../../src/index/build-plan.js';
import { activateBuild } from '../../src/index/index-paths.js';

const [source, indexDir, planVersion] = process.argv.slice(2);
if (!source || !indexDir || !planVersion) {
  console.error('usage: build-child.ts <source> <indexDir> <planVersion>');
  process.exit(2);
}

const config = loadConfig({ ...process.env, INDEX_DIR: indexDir, EMBEDDINGS_PROVIDER: 'offline' });
const started = performance.now();
const stack = await loadTextStack(config);
const stackMs = performance.now() - started;
const target = planToBuild(await readPlanRegistry(config.corpusDir), config.corpusDir, { source, version: planVersion });
const manifest = await buildPlanIndex({ target, indexDir, analyzer: stack.analyzer, embedder: { kind: 'offline' } });
await activateBuild(indexDir, manifest.build);
const buildMs = performance.now() - started - stackMs;
// maxRSS is in kilobytes on Linux: the high-water mark of this process's resident memory.
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({ buildMs, stackMs, chunks: manifest.chunkCount, sections: manifest.sectionCount, maxRssMb, build: manifest.build }),
);
