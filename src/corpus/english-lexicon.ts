/**
 * English words → the plan's Japanese terms, from EDICT (JMdict's English glosses; Debian's
 * `edict` package, EUC-JP). Only entries whose Japanese headword occurs in the plan are kept,
 * so "donation" reaches 寄附 and "bequest" 遺贈 without a hand-kept entry for each; the
 * glossary's `english` section covers what the dictionary lacks and takes precedence.
 *
 * `npm run lexicon` rebuilds corpus/english-lexicon.json when the plan changes; the file
 * carries the dictionary's attribution (CC BY-SA 3.0, © EDRDG).
 */
import fs from 'node:fs/promises';
import { ConfigError } from '../errors.js';

export interface EnglishLexicon {
  /** English word or short phrase (lower case) → Japanese headwords, most likely first. */
  entries: Record<string, string[]>;
}

export interface EdictEntry {
  headword: string;
  glosses: string[];
  /** EDICT's (P) mark: a common word. */
  common: boolean;
}

export const LEXICON_ATTRIBUTION =
  'Derived from EDICT, the JMdict/EDICT project of the Electronic Dictionary Research and Development Group ' +
  '(https://www.edrdg.org/edrdg/licence.html), used under the Creative Commons Attribution-ShareAlike 3.0 licence. ' +
  'This subset is distributed under the same licence.';

/** 「寄附 [きふ] /(n,vs) contribution/donation/(P)/」 → headword, cleaned glosses, common. */
export function parseEdictLine(line: string): EdictEntry | undefined {
  const m = line.match(/^(\S+?)(?:\s+\[[^\]]*\])?\s+\/(.*)\/\s*$/);
  if (!m) return undefined;
  const parts = m[2].split('/').filter(Boolean);
  const common = parts.includes('(P)');
  const glosses = parts
    .filter((p) => p !== '(P)' && !p.startsWith('EntL'))
    .map((p) =>
      p
        // Leading tags: (n,vs) (1) {comp} (adj-na) …
        .replace(/^(\s*(\([^)]*\)|\{[^}]*\}))+\s*/, '')
        .replace(/\s*\([^)]*\)\s*/g, ' ')
        .replace(/^to\s+/, '')
        .trim()
        .toLowerCase(),
    )
    .filter((g) => g && g.split(/\s+/).length <= 4 && /^[a-z][a-z' -]*$/.test(g));
  return glosses.length ? { headword: m[1].replace(/\([^)]*\)/g, ''), glosses, common } : undefined;
}

/**
 * Keeps the entries whose headword the plan contains (kanji or katakana, 2+ characters), indexed
 * by each gloss. A headword is ranked higher for a common word and for its first gloss.
 */
export function buildLexicon(edictLines: Iterable<string>, planText: string, options: { perWord?: number } = {}): EnglishLexicon {
  const perWord = options.perWord ?? 6;
  const scored = new Map<string, Map<string, number>>();
  for (const line of edictLines) {
    const entry = parseEdictLine(line);
    if (!entry) continue;
    const { headword } = entry;
    // Hiragana words (こと, もの) and single kanji (変 for "flat") match everywhere in Japanese text:
    // the glossary names the few single-kanji terms English needs (県, 市, 月).
    if ([...headword].length < 2 || /^[\u3040-\u309f]+$/.test(headword) || !planText.includes(headword)) continue;
    const add = (gloss: string, score: number) => {
      const byHeadword = scored.get(gloss) ?? new Map<string, number>();
      byHeadword.set(headword, Math.max(byHeadword.get(headword) ?? 0, score));
      scored.set(gloss, byHeadword);
    };
    entry.glosses.forEach((gloss, i) => {
      const score = (entry.common ? 2 : 0) + (i === 0 ? 1 : 0) + 1 / (1 + entry.glosses.length);
      add(gloss, score);
      // "prefectural governor" is also what "governor" means here, a little less surely.
      const words = gloss.split(' ');
      if (words.length > 1 && words.length <= 3) add(words[words.length - 1], score - 1.5);
    });
  }
  const entries: Record<string, string[]> = {};
  for (const [gloss, byHeadword] of [...scored].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    entries[gloss] = [...byHeadword].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length).slice(0, perWord).map(([h]) => h);
  }
  return { entries };
}

export async function loadEnglishLexicon(file: string): Promise<EnglishLexicon> {
  let data: { entries?: unknown };
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: {} };
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}. Rebuild it with \`npm run lexicon\`.`);
  }
  if (typeof data.entries !== 'object' || data.entries === null) {
    throw new ConfigError(`${file}: "entries" must be an object of English → Japanese terms. Rebuild it with \`npm run lexicon\`.`);
  }
  return { entries: data.entries as Record<string, string[]> };
}
