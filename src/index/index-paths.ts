/**
 * Where index versions live: `<indexDir>/builds/<build>/` for each build, and
 * `<indexDir>/current.json` naming the live one. Switching builds is one rename of that
 * pointer file, so a reader sees either the old build or the new one, never a mix.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CurrentPointer } from './manifest.js';

/** Files every build must contain (vectors/ holds hnswlib's own files). */
export const INDEX_FILES = [
  'manifest.json',
  'chunks.json',
  'sections.json',
  'lexical.json',
  'sentences.json',
  'facts.json',
  'profile.json',
  'vectors/hnswlib.index',
  'vectors/docstore.json',
  'vectors/args.json',
] as const;

export const buildsDir = (indexDir: string) => path.join(indexDir, 'builds');
export const buildDir = (indexDir: string, build: string) => path.join(buildsDir(indexDir), build);
export const pointerFile = (indexDir: string) => path.join(indexDir, 'current.json');

export async function readPointer(indexDir: string): Promise<CurrentPointer | undefined> {
  try {
    const pointer = JSON.parse(await fs.readFile(pointerFile(indexDir), 'utf8')) as CurrentPointer;
    return typeof pointer.build === 'string' ? { build: pointer.build, previous: pointer.previous ?? [] } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes `build` the live one, remembering the one it replaces for rollback. Atomic: write, then rename. */
export async function activateBuild(indexDir: string, build: string): Promise<CurrentPointer> {
  const current = await readPointer(indexDir);
  // Most recent first, never the live build itself, each build once: a rollback then toggles back.
  const history = current ? [current.build, ...current.previous] : [];
  const previous = [...new Set(history)].filter((b) => b !== build).slice(0, 10);
  const pointer: CurrentPointer = { build, previous };
  const tmp = `${pointerFile(indexDir)}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(pointer, null, 2));
  await fs.rename(tmp, pointerFile(indexDir));
  return pointer;
}
