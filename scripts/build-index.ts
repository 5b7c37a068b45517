/**
 * `npm run index`: builds the current plan of corpus/plans.json into a new index version and
 * makes it live. `--source <file> [--version <label>]` builds another plan text instead.
 * A source that fails any check never replaces the live index.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCurrentPlan, configuredEmbedder, loadTextStack, packageVersions } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { isBotError } from '../src/errors.js';
import { buildIndex } from '../src/index/build-index.js';
import { activateBuild } from '../src/index/index-paths.js';
import { createLogger } from '../src/logger.js';

const { values } = parseArgs({
  options: { source: { type: 'string' }, version: { type: 'string' } },
});

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const stack = await loadTextStack(config);
  const started = performance.now();
  const manifest = values.source
    ? await buildIndex({
        sourceFile: path.resolve(values.source),
        planVersion: values.version ?? path.basename(values.source).replace(/\.[^.]+$/, ''),
        indexDir: config.indexDir,
        analyzer: stack.analyzer,
        embedder: await configuredEmbedder(config),
        versions: packageVersions(),
      })
    : await buildCurrentPlan(config, stack, logger);
  if (values.source) await activateBuild(config.indexDir, manifest.build);
  console.log(
    `index ${manifest.build} is live: plan ${manifest.planVersion}, ${manifest.sectionCount} sections, ` +
      `${manifest.chunkCount} chunks, embedder ${manifest.embedder.name} (${manifest.embedder.dimensions} d), ` +
      `${Math.round(performance.now() - started)} ms`,
  );
} catch (error) {
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  console.error('The live index was not changed.');
  process.exit(1);
}
