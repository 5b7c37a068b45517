/** The EDICT subset: entries whose headword the plan contains, indexed by their English glosses. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { buildLexicon, parseEdictLine } from '../../src/corpus/english-lexicon.js';

const LINES = [
  '寄附 [きふ] /(n,vs) contribution/donation/(P)/',
  '寄付 [きふ] /(n,vs) contribution/donation/(P)/',
  '遺贈 [いぞう] /(n,vs) bequest/legacy/',
  '知事 [ちじ] /(n,adj-no) prefectural governor/(P)/',
  'ラーメン /(n) ramen (chi: lāmiàn)/Chinese-style noodles/(P)/',
  '変 [へん] /(adj-na,n) strange/flat (music)/(P)/',
  'こと /(n) thing/matter/(P)/',
];

describe('parseEdictLine', () => {
  it('reads the headword, glosses without their tags, and the common mark', () => {
    expect(parseEdictLine(LINES[0])).toEqual({ headword: '寄附', glosses: ['contribution', 'donation'], common: true });
    expect(parseEdictLine('not an entry')).toBeUndefined();
  });
});

describe('buildLexicon', () => {
  const plan = '寄附文化の醸成。遺贈寄付やクラウドファンディング。知事を本部長とする。こと。変化';
  const { entries } = buildLexicon(LINES, plan);

  it('keeps entries whose headword the plan contains, by each gloss and a multi-word gloss’s last word', () => {
    expect(entries.donation).toEqual(['寄附', '寄付']);
    expect(entries.bequest).toEqual(['遺贈']);
    expect(entries.governor).toEqual(['知事']);
  });

  it('drops headwords the plan lacks, hiragana words and single kanji', () => {
    expect(entries.ramen).toBeUndefined();
    expect(entries.thing).toBeUndefined();
    expect(entries.flat).toBeUndefined();
  });

  it('ships a committed subset with its attribution', () => {
    const file = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'corpus/english-lexicon.json'), 'utf8'));
    expect(file.$comment).toMatch(/EDICT.*Electronic Dictionary Research and Development Group.*Creative Commons Attribution-ShareAlike 3\.0/);
    expect(file.entries.bequest).toContain('遺贈');
  });
});
