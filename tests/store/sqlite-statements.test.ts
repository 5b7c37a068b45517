/** The SQLite store keeps its prepared statements: one per SQL text, still right after a migration changes a table. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { keepingStatements } from '../../src/store/sqlite-store.js';

describe('SQLite prepared statements kept by SQL text', () => {
  it('prepares a text once, runs it again with new values, and follows a schema change', () => {
    const db = new Database(':memory:');
    let prepared = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => (prepared++, prepare(sql))) as typeof db.prepare;
    const kept = keepingStatements(db);
    kept.prepare('create table asked (question text)').run([]);
    const insert = 'insert into asked (question) values (?)';
    for (const q of ['休眠預金とは', '認定NPO法人になるには', 'あいかさねっと']) kept.prepare(insert).run([q]);
    expect(kept.prepare(insert)).toBe(kept.prepare(insert));
    expect(kept.prepare('select * from asked').all([])).toHaveLength(3);
    expect(prepared).toBe(3);
    // A migration adds a column: the statement kept for `select *` sees it.
    kept.prepare('alter table asked add column channel text').run([]);
    kept.prepare('insert into asked (question, channel) values (?, ?)').run(['計画の期間は', 'line']);
    expect(kept.prepare('select * from asked').all([]).at(-1)).toEqual({ question: '計画の期間は', channel: 'line' });
    kept.close();
    expect(db.open).toBe(false);
  });
});
