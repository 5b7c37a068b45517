/** corpus/plans.json: the plan versions the bot knows, and which one is current. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';

export interface PlanEntry {
  version: string;
  file: string;
  title: string;
  revision?: string;
  period?: { label: string; fromFiscalYear: number; toFiscalYear: number };
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
