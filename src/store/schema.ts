/**
 * The store's tables as kysely sees them, one shape for SQLite and PostgreSQL. Times are
 * milliseconds since the epoch in a bigint (SQLite has no timestamp type; one representation
 * keeps every query the same on both), flags are 0/1 integers, lists are JSON text.
 */
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export interface FeedbackTable {
  id: Generated<number>;
  at: number;
  channel: string;
  vote: 'up' | 'down';
  question: string;
  answer: string;
  /** JSON: the sources shown with the answer (rank, score, section, chunkId). */
  sources: string;
  user_hash: string;
}

export interface QuestionLogTable {
  id: Generated<number>;
  at: number;
  channel: string;
  question: string;
  outcome: 'answered' | 'abstained' | 'failed';
  mode: string | null;
  latency_ms: number;
  top_section: string | null;
  user_hash: string | null;
  /** The curated answer the question got, when it got one (migration 002). */
  curated_id: number | null;
}

export interface CuratedTable {
  id: Generated<number>;
  /** JSON array of strings; the first is the title. */
  phrasings: string;
  answer: string;
  section_id: string | null;
  author_hash: string;
  created_at: number;
  updated_at: number;
  /** 1 active, 0 switched off. */
  active: number;
}

export interface StoreSchema {
  meta: MetaTable;
  feedback: FeedbackTable;
  question_log: QuestionLogTable;
  curated_answer: CuratedTable;
}

export type StoreDialect = 'sqlite' | 'postgres';
