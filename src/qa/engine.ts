/**
 * An engine is one loaded index with the analyzers that read it: everything needed to go
 * from a question to passages. The answer service holds a function returning the live
 * engine, so that a new index can replace it between questions.
 */
import type { EnglishLexicon } from '../corpus/english-lexicon.js';
import type { Glossary } from '../corpus/glossary.js';
import type { LoadedIndex } from '../index/load-index.js';
import { planOf } from '../index/manifest.js';
import type { Analyzer } from '../text/analyzer.js';
import { createQuestionAnalyzer, type AnalyzedQuestion } from './analyze-question.js';
import { resolveByReading } from './reading-resolver.js';
import { createHybridSearch, type HybridSearchOptions, type RetrievalResult } from './hybrid-search.js';
import type { IndexInfo } from './types.js';

export interface Engine {
  analyzer: Analyzer;
  analyzeQuestion(question: string): AnalyzedQuestion;
  search(question: AnalyzedQuestion): Promise<RetrievalResult>;
  idf(term: string): number;
  info: IndexInfo;
  index: LoadedIndex;
}

/** Texts whose analysis an engine keeps (a few KB each): a few hundred questions' worth of texts and labels. */
export const ANALYSES_REMEMBERED = 2_000;

export function createEngine(options: {
  index: LoadedIndex;
  analyzer: Analyzer;
  glossary: Glossary;
  lexicon?: EnglishLexicon;
  maxQuestionChars: number;
  search?: HybridSearchOptions;
}): Engine {
  const { index } = options;
  // Each question's text, labels and glossary keys are read by several steps; one read each.
  const analyzer = options.analyzer.remembering({ max: ANALYSES_REMEMBERED });
  const questions = createQuestionAnalyzer({ analyzer, glossary: options.glossary, lexicon: options.lexicon, maxChars: options.maxQuestionChars });
  return {
    analyzer,
    analyzeQuestion: (q) => resolveByReading(questions.analyze(q), index.profile, analyzer),
    search: createHybridSearch(index, analyzer, options.search),
    idf: (term) => index.words.idf(term),
    info: {
      planVersion: index.manifest.planVersion,
      build: index.manifest.build,
      chunkCount: index.manifest.chunkCount,
      embedder: index.manifest.embedder.name,
      plan: planOf(index.manifest),
    },
    index,
  };
}
