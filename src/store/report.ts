/**
 * The numbers behind `npm run report` and the admin page, read from the store's tables for one
 * period with queries that run the same on SQLite and PostgreSQL. The same question typed
 * slightly differently (全角/半角, a trailing ？) counts as one.
 */
import { type Kysely, sql } from 'kysely';
import { normalizeForMatch } from '../text/normalize.js';
import type { StoreSchema } from './schema.js';
import type { Report, ReportOptions } from './store.js';

/** The text pipeline's folding (全角/半角, case); spaces and closing punctuation do not change a question either. */
export function questionKey(question: string): string {
  return normalizeForMatch(question).replace(/\s+/g, '').replace(/[?？!！。.、,]+$/u, '');
}

const DAY_MS = 24 * 60 * 60_000;
/** Days are counted in Japan's time (UTC+9, no daylight saving): the residents' and the staff's day. */
const JST_OFFSET_MS = 9 * 60 * 60_000;
const dayOf = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

/** Counts come back as strings from PostgreSQL's bigint and numeric; as numbers from SQLite. */
const n = (value: unknown) => Number(value ?? 0);
const countIf = (condition: ReturnType<typeof sql>) => sql<number>`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

export async function buildReport(db: Kysely<StoreSchema>, options: ReportOptions & { until: Date }): Promise<Report> {
  const since = options.since.getTime();
  const limit = options.limit ?? 10;

  const abstainedRows = await db.selectFrom('question_log').select('question').where('outcome', '=', 'abstained').where('at', '>=', since).orderBy('at').execute();
  const groups = new Map<string, { question: string; count: number }>();
  for (const { question } of abstainedRows) {
    const key = questionKey(question);
    const group = groups.get(key) ?? { question, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  const abstained = [...groups.values()].sort((a, b) => b.count - a.count).slice(0, limit);

  const down = countIf(sql`vote = 'down'`);
  const up = countIf(sql`vote = 'up'`);
  const dislikedRows = await db
    .selectFrom('feedback')
    .select(['question', 'answer', down.as('down'), up.as('up')])
    .where('at', '>=', since)
    .groupBy(['question', 'answer'])
    .having(down, '>', 0)
    .orderBy('down', 'desc')
    .orderBy('up', 'asc')
    .limit(limit)
    .execute();
  const disliked = dislikedRows.map((r) => ({ question: r.question, answer: r.answer, down: n(r.down), up: n(r.up) }));

  const count = sql<number>`COUNT(*)`;
  const topicRows = await db
    .selectFrom('question_log')
    .select(['top_section as section', count.as('count')])
    .where('at', '>=', since)
    .where('top_section', 'is not', null)
    .groupBy('top_section')
    .orderBy('count', 'desc')
    .limit(limit)
    .execute();
  const topics = topicRows.map((r) => ({ section: r.section as string, count: n(r.count) }));

  const channelRows = await db
    .selectFrom('question_log')
    .select([
      'channel',
      count.as('total'),
      countIf(sql`outcome = 'answered'`).as('answered'),
      countIf(sql`outcome = 'abstained'`).as('abstained'),
      countIf(sql`outcome = 'failed'`).as('failed'),
    ])
    .where('at', '>=', since)
    .groupBy('channel')
    .orderBy('total', 'desc')
    .execute();
  const channels = channelRows.map((r) => {
    const total = n(r.total);
    const answered = n(r.answered);
    return { channel: r.channel, total, answered, abstained: n(r.abstained), failed: n(r.failed), answerRate: total ? Math.round((answered / total) * 1000) / 1000 : 0 };
  });

  // Integer division of integers on both databases: the day number since the epoch, in JST.
  const dayNumber = sql<number>`(at + ${sql.lit(JST_OFFSET_MS)}) / ${sql.lit(DAY_MS)}`;
  const dailyRows = await db
    .selectFrom('question_log')
    .select([dayNumber.as('day'), count.as('questions'), countIf(sql`outcome = 'abstained'`).as('refused')])
    .where('at', '>=', since)
    .groupBy(dayNumber)
    .orderBy(dayNumber)
    .execute();
  const daily = dailyRows.map((r) => ({ day: dayOf(Math.floor(n(r.day))), questions: n(r.questions), refused: n(r.refused) }));

  const curatedRows = await db
    .selectFrom('question_log')
    .innerJoin('curated_answer', 'curated_answer.id', 'question_log.curated_id')
    .select(['curated_answer.id as id', 'curated_answer.phrasings as phrasings', count.as('count')])
    .where('question_log.at', '>=', since)
    .groupBy(['curated_answer.id', 'curated_answer.phrasings'])
    .orderBy('count', 'desc')
    .orderBy('curated_answer.id')
    .limit(limit)
    .execute();
  const curated = curatedRows.map((r) => ({ id: n(r.id), title: (JSON.parse(r.phrasings) as string[])[0] ?? '', count: n(r.count) }));

  return { since: options.since.toISOString(), until: options.until.toISOString(), abstained, disliked, topics, channels, daily, curated };
}
