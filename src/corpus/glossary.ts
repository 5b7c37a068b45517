/** The maintainers' glossary (corpus/glossary.json): variant spellings, residents' words, English terms. */
import fs from 'node:fs/promises';
import { ConfigError } from '../errors.js';

export interface Glossary {
  /** canonical → variant spellings, folded on both index and question side. */
  variants: Record<string, string[]>;
  /** a resident's word → the plan's words, expanded on the question side only. */
  related: Record<string, string[]>;
  /** an English word or phrase (lower case) → the plan's Japanese terms. */
  english: Record<string, string[]>;
}

function stringListMap(value: unknown, field: string, file: string): Record<string, string[]> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${file}: "${field}" must be an object of term → list of terms.`);
  }
  const out: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
      throw new ConfigError(`${file}: "${field}.${key}" must be a list of strings.`);
    }
    out[key] = list;
  }
  return out;
}

export function parseGlossary(json: string, file = 'glossary.json'): Glossary {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return {
    variants: stringListMap(data.variants, 'variants', file),
    related: stringListMap(data.related, 'related', file),
    english: stringListMap(data.english, 'english', file),
  };
}

export async function loadGlossary(file: string): Promise<Glossary> {
  return parseGlossary(await fs.readFile(file, 'utf8'), file);
}
