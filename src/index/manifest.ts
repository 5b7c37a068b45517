/** The manifest written next to every index build, and checked when it is loaded. */
import type { PlanIdentity } from '../corpus/plan-identity.js';

/** 2: sentence-level and reading indexes, facts and the plan's profile (lexical.json, sentences.json, facts.json, profile.json). */
export const INDEX_FORMAT = 2;

export interface IndexManifest {
  format: number;
  /** Folder name of this build under `<indexDir>/builds/`. */
  build: string;
  planVersion: string;
  /** What the plan calls itself (from corpus/plans.json); absent in builds made before it was recorded. */
  plan?: PlanIdentity;
  /** The title alone, as older builds recorded it. */
  planTitle?: string;
  sourceFile: string;
  sourceSha256: string;
  embedder: { name: string; dimensions: number };
  chunkCount: number;
  sectionCount: number;
  builtAt: string;
  versions: Record<string, string>;
  /** Files the build must contain; a build missing one is partial. */
  files: string[];
}

/** `<indexDir>/current.json`: which build is live, and the ones before it (for rollback). */
export interface CurrentPointer {
  build: string;
  previous: string[];
}

/** The plan a build answers from; an older build without `plan` is named by its title alone, if it has one. */
export function planOf(manifest: Pick<IndexManifest, 'plan' | 'planTitle'>): PlanIdentity {
  return manifest.plan ?? { title: manifest.planTitle ?? '' };
}
