/** The manifest written next to every index build, and checked when it is loaded. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
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
  /**
   * SHA-256 (hex) of every file of the build but the manifest, by path relative to the build
   * folder; loading refuses a build whose files do not match. Absent in builds made before it
   * was recorded (they load unchecked).
   */
  sha256?: Record<string, string>;
}

/** Every file under `dir` except manifest.json, with its SHA-256: what the manifest records and loading checks. */
export async function fileChecksums(dir: string): Promise<Record<string, string>> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => f !== 'manifest.json')
    .sort();
  const sums: Record<string, string> = {};
  for (const file of files) sums[file] = await sha256Of(path.join(dir, file));
  return sums;
}

export async function sha256Of(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
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
