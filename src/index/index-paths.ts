/**
 * Where index versions live: `<indexDir>/builds/<build>/` for each build, and
 * `<indexDir>/current.json` naming the live one. Switching builds is one rename of that
 * pointer file, so a reader sees either the old build or the new one, never a mix.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IndexError } from '../errors.js';
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

/** The host's name as it goes into a temporary name (a container's is its id): see stale-builds.ts. */
export const hostTag = () => os.hostname().replace(/[^\w.]+/g, '_').slice(0, 40) || 'host';

/** The temporary file an activation writes before renaming it over current.json, named after its maker. */
export const pointerTemp = (indexDir: string) => `${pointerFile(indexDir)}.${hostTag()}-${process.pid}.tmp`;

/**
 * The live pointer, or undefined when there is none yet (a fresh clone). A pointer that is not
 * JSON, or names no build, is an IndexError that says how to repair it: guessing would risk
 * serving (or rebuilding) another plan than the one that was live.
 */
export async function readPointer(indexDir: string): Promise<CurrentPointer | undefined> {
  const file = pointerFile(indexDir);
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let pointer: Partial<CurrentPointer> | null;
  try {
    pointer = JSON.parse(raw) as Partial<CurrentPointer> | null;
  } catch (cause) {
    throw brokenPointer(file, 'is not valid JSON', { cause });
  }
  if (typeof pointer?.build !== 'string' || !pointer.build || pointer.build.includes('/') || pointer.build.startsWith('.')) {
    throw brokenPointer(file, 'names no build (it needs {"build": "<folder in builds/>", "previous": [...]})');
  }
  const previous = Array.isArray(pointer.previous) ? pointer.previous.filter((b): b is string => typeof b === 'string' && !b.includes('/') && !b.startsWith('.')) : [];
  return { build: pointer.build, previous };
}

function brokenPointer(file: string, what: string, options?: { cause?: unknown }): IndexError {
  return new IndexError(
    'index_invalid',
    `The index pointer ${file} ${what}. Write the name of a build folder of ${path.join(path.dirname(file), 'builds')} into it ` +
      '(`{"build": "<name>", "previous": []}`), or remove it and run `npm run index` to build and activate a new one.',
    path.dirname(file),
    options,
  );
}

/** Makes `build` the live one, remembering the one it replaces for rollback. Atomic: write, then rename. */
export async function activateBuild(indexDir: string, build: string): Promise<CurrentPointer> {
  const current = await readPointer(indexDir);
  // Most recent first, never the live build itself, each build once: a rollback then toggles back.
  const history = current ? [current.build, ...current.previous] : [];
  const previous = [...new Set(history)].filter((b) => b !== build).slice(0, 10);
  const pointer: CurrentPointer = { build, previous };
  const tmp = pointerTemp(indexDir);
  await fs.writeFile(tmp, JSON.stringify(pointer, null, 2));
  await fs.rename(tmp, pointerFile(indexDir));
  return pointer;
}
