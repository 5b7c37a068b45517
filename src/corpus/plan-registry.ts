/** corpus/plans.json: the plan versions the bot knows, and which one is current. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { PlanIdentity } from './plan-identity.js';

export interface PlanEntry {
  version: string;
  file: string;
  title: string;
  revision?: string;
  period?: { label: string; fromFiscalYear: number; toFiscalYear: number };
  /** The plan's name in English (for English answers). */
  english?: { title: string; revision?: string };
  published?: string;
  source?: string;
}

export interface PlanRegistry {
  current: string;
  plans: PlanEntry[];
}

export async function readPlanRegistry(corpusDir: string): Promise<PlanRegistry> {
  const file = path.join(corpusDir, 'plans.json');
  let registry: PlanRegistry;
  try {
    registry = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(registry.plans) || !registry.plans.some((p) => p.version === registry.current)) {
    throw new ConfigError(`${file}: "current" must name one of the "plans" by its version.`);
  }
  return registry;
}

export function currentPlan(registry: PlanRegistry, corpusDir: string): PlanEntry & { path: string } {
  const entry = registry.plans.find((p) => p.version === registry.current)!;
  return { ...entry, path: path.resolve(corpusDir, entry.file) };
}

export function identityOf(entry: PlanEntry): PlanIdentity {
  return { title: entry.title, revision: entry.revision, period: entry.period?.label, english: entry.english };
}

/** What one build is of: the source text, its version label and what the plan calls itself. */
export interface PlanToBuild {
  sourceFile: string;
  version: string;
  plan: PlanIdentity;
}

/**
 * Which plan `npm run index` builds. Without `--source`, the entry `--version` names (by
 * default the current one) with its file. With `--source`, the label is `--version` or else
 * the label of the entry listing that file; a file plans.json does not list needs `--version`:
 * a plan is never named after its file. A label plans.json does not list gets the current
 * entry's title without a revision (the same plan's series), until an entry names it.
 */
export function planToBuild(registry: PlanRegistry, corpusDir: string, wanted: { source?: string; version?: string } = {}): PlanToBuild {
  const entryPath = (entry: PlanEntry) => path.resolve(corpusDir, entry.file);
  const listed = (version: string) => registry.plans.find((p) => p.version === version);
  if (!wanted.source) {
    const version = wanted.version ?? registry.current;
    const entry = listed(version);
    if (!entry) throw new ConfigError(`corpus/plans.json lists no version "${version}": add an entry for it (version, file, title, revision), or give --source.`);
    return { sourceFile: entryPath(entry), version, plan: identityOf(entry) };
  }
  const sourceFile = path.resolve(wanted.source);
  const entry = wanted.version ? listed(wanted.version) : registry.plans.find((p) => entryPath(p) === sourceFile);
  if (entry) return { sourceFile, version: entry.version, plan: identityOf(entry) };
  if (!wanted.version) {
    throw new ConfigError(
      `${sourceFile} is not listed in corpus/plans.json, so its version label is unknown: give it with --version <label> ` +
        '(and add an entry with its title and revision to plans.json, so that answers name it).',
    );
  }
  const series = listed(registry.current)!;
  return { sourceFile, version: wanted.version, plan: { title: series.title, english: series.english && { title: series.english.title } } };
}
