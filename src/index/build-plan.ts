/**
 * The one index-build step: a plan version (source, label, identity from corpus/plans.json)
 * → buildIndex with the package versions in its manifest. The bot's first start, `npm run
 * index` and the benchmark's build all come through here; going live stays the caller's step.
 */
import { createRequire } from 'node:module';
import type { PlanToBuild } from '../corpus/plan-registry.js';
import type { Analyzer } from '../text/analyzer.js';
import { buildIndex, type BuildProgressFn, type EmbedderChoice } from './build-index.js';
import type { IndexManifest } from './manifest.js';

export interface BuildPlanOptions {
  target: PlanToBuild;
  indexDir: string;
  analyzer: Analyzer;
  /** @default offline */
  embedder?: EmbedderChoice;
  onProgress?: BuildProgressFn;
}

export function buildPlanIndex({ target, indexDir, analyzer, embedder, onProgress }: BuildPlanOptions): Promise<IndexManifest> {
  return buildIndex({
    sourceFile: target.sourceFile,
    planVersion: target.version,
    plan: target.plan,
    indexDir,
    analyzer,
    embedder,
    versions: packageVersions(),
    onProgress,
  });
}

/** The versions that shape an index, recorded in its manifest so that a maintainer can tell builds apart. */
export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.versions.node };
  for (const name of ['kuromoji', 'hnswlib-node', '@langchain/core', '@langchain/community']) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // not resolvable through its exports map: leave it out of the manifest
    }
  }
  return versions;
}
