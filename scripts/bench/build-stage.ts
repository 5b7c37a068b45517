/**
 * Index builds: the plan itself, then synthetic corpora 10× and 100× its size, each in its own
 * child process (its own heap, so its peak RSS is its own). A build that runs past its time
 * bound is killed and reported as not finished, rather than holding up the bench.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { runToEnd, spawnTs } from './processes.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';

export interface BuildFigures {
  label: string;
  times: number;
  sourceBytes: number;
  finished: boolean;
  /** Child start to exit: tsx start, dictionary load and build, as `npm run index` is felt. */
  wallMs?: number;
  /** buildIndex alone (parse, tokenize, BM25, embeddings, hnswlib, write). */
  buildMs?: number;
  chunks?: number;
  maxRssMb?: number;
  error?: string;
}

export interface BuildOptions {
  planFile: string;
  workDir: string;
  /** Sizes to build, in copies of the plan; 1 is the plan itself (its index serves the other stages). */
  sizes: number[];
  timeoutMs: number;
  log: (line: string) => void;
}

/** Builds each size; returns the figures and the index folder of the 1× build. */
export async function runBuilds(options: BuildOptions): Promise<{ builds: BuildFigures[]; planIndexDir: string }> {
  const builds: BuildFigures[] = [];
  const planIndexDir = path.join(options.workDir, 'index-1x');
  for (const times of options.sizes) {
    const label = times === 1 ? 'plan' : `${times}x`;
    const source = times === 1 ? options.planFile : path.join(options.workDir, `plan-${times}x.txt`);
    const sourceBytes = times === 1 ? 0 : await writeSyntheticCorpus(options.planFile, source, times);
    const indexDir = times === 1 ? planIndexDir : path.join(options.workDir, `index-${times}x`);
    options.log(`build ${label} …`);
    const started = performance.now();
    const child = spawnTs('scripts/bench/build-child.ts', [source, indexDir, times === 1 ? 'bench-plan' : `synthetic-${times}x`], process.env);
    const out = await runToEnd(child, options.timeoutMs);
    const wallMs = performance.now() - started;
    const figures: BuildFigures = { label, times, sourceBytes, finished: false };
    if (out.timedOut) {
      figures.error = `not finished within ${Math.round(options.timeoutMs / 1000)} s (stopped)`;
    } else if (out.code !== 0) {
      figures.error = `build failed (exit ${out.code}): ${out.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    } else {
      const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as { buildMs: number; chunks: number; maxRssMb: number };
      Object.assign(figures, { finished: true, wallMs, buildMs: result.buildMs, chunks: result.chunks, maxRssMb: result.maxRssMb });
    }
    if (times === 1) {
      figures.sourceBytes = (await fs.stat(options.planFile)).size;
      if (!figures.finished) throw new Error(`the plan's own index could not be built: ${figures.error}`);
    }
    builds.push(figures);
  }
  return { builds, planIndexDir };
}
