/**
 * The numbers behind `npm run report`, read from the store's tables for one period.
 * The same question typed slightly differently (全角/半角, a trailing ？) counts as one.
 */
import type Database from 'better-sqlite3';
import { normalizeForMatch } from '../text/normalize.js';
import type { Report, ReportOptions } from './store.js';

/** The text pipeline's folding (全角/半角, case); spaces and closing punctuation do not change a question either. */
export function questionKey(question: string): string {
  return normalizeForMatch(question).replace(/\s+/g, '').replace(/[?？!！。.、,]+$/u, '');
}

export function buildReport(db: Database.Database, options: ReportOptions & { until: Date }): Report {
  const since = options.since.getTime();
  const limit = options.limit ?? 10;

  const abstainedRows = db.prepare("SELECT question FROM question_log WHERE outcome = 'abstained' AND at >= ? ORDER BY at").all(since) as Array<{ question: string }>;
  const groups = new Map<string, { question: string; count: number }>();
  for (const { question } of abstainedRows) {
    const key = questionKey(question);
    const group = groups.get(key) ?? { question, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  const abstained = [...groups.values()].sort((a, b) => b.count - a.count).slice(0, limit);

  const disliked = db
    .prepare(
      `SELECT question, answer, SUM(vote = 'down') AS down, SUM(vote = 'up') AS up FROM feedback WHERE at >= ?
       GROUP BY question, answer HAVING down > 0 ORDER BY down DESC, up ASC LIMIT ?`,
    )
    .all(since, limit) as Report['disliked'];

  const topics = db
    .prepare(
      `SELECT top_section AS section, COUNT(*) AS count FROM question_log WHERE at >= ? AND top_section IS NOT NULL
       GROUP BY top_section ORDER BY count DESC LIMIT ?`,
    )
    .all(since, limit) as Report['topics'];

  const channelRows = db
    .prepare(
      `SELECT channel, COUNT(*) AS total, SUM(outcome = 'answered') AS answered, SUM(outcome = 'abstained') AS abstained,
       SUM(outcome = 'failed') AS failed FROM question_log WHERE at >= ? GROUP BY channel ORDER BY total DESC`,
    )
    .all(since) as Array<Omit<Report['channels'][number], 'answerRate'>>;
  const channels = channelRows.map((row) => ({ ...row, answerRate: row.total ? Math.round((row.answered / row.total) * 1000) / 1000 : 0 }));

  return { since: options.since.toISOString(), until: options.until.toISOString(), abstained, disliked, topics, channels };
}
