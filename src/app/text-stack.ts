/** The text pipeline every engine shares: the glossary and kuromoji (about 1 s to load), made into one analyzer. */
import path from 'node:path';
import type { Config } from '../config.js';
import { loadEnglishLexicon, type EnglishLexicon } from '../corpus/english-lexicon.js';
import { loadGlossary, type Glossary } from '../corpus/glossary.js';
import { createAnalyzer, type Analyzer } from '../text/analyzer.js';
import { loadTokenizer } from '../text/tokenizer.js';

export interface TextStack {
  glossary: Glossary;
  /** English → the plan's terms from EDICT (corpus/english-lexicon.json). */
  lexicon: EnglishLexicon;
  analyzer: Analyzer;
}

export async function loadTextStack(config: Pick<Config, 'corpusDir'>): Promise<TextStack> {
  const [glossary, lexicon, tokenizer] = await Promise.all([
    loadGlossary(path.join(config.corpusDir, 'glossary.json')),
    loadEnglishLexicon(path.join(config.corpusDir, 'english-lexicon.json')),
    loadTokenizer(),
  ]);
  return { glossary, lexicon, analyzer: createAnalyzer(tokenizer, glossaryVocabulary(glossary)) };
}

/** Every Japanese term the glossary names is a term of the field, to be kept whole by the tokenizer. */
export function glossaryVocabulary(glossary: Glossary) {
  const japanese = (t: string) => /[\u3040-\u30ff\u3400-\u9fff]/.test(t);
  const terms = [...Object.keys(glossary.variants), ...Object.values(glossary.related).flat(), ...Object.values(glossary.english).flat()].filter(japanese);
  return { variants: glossary.variants, terms };
}
