/**
 * The engine on the real plan: the facts read at index time (the 【評価指標】 rows with their
 * values, dated events, definitions), answers that lead with the asked fact, refusals that name
 * what the plan lacks, English leads, and kana spellings found by their reading.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanFacts } from '../../src/corpus/facts.js';
import { buildDir } from '../../src/index/index-paths.js';
import type { PlanProfile } from '../../src/index/plan-profile.js';
import type { AnswerService } from '../../src/qa/types.js';
import { tempAnswerService, tempIndex } from '../helpers/temp-index.js';

let answers: AnswerService;
let cleanup: () => Promise<void>;
let facts: PlanFacts;
let profile: PlanProfile;
beforeAll(async () => {
  ({ answers, cleanup } = await tempAnswerService());
  const index = await tempIndex();
  const dir = buildDir(index.dir, index.manifest.build);
  facts = JSON.parse(await fs.readFile(path.join(dir, 'facts.json'), 'utf8'));
  profile = JSON.parse(await fs.readFile(path.join(dir, 'profile.json'), 'utf8'));
}, 60_000);
afterAll(async () => {
  await cleanup();
  await (await tempIndex()).cleanup();
});

describe('facts read at index time', () => {
  it('reads every 【評価指標】 row of the plan with its value, date and target', () => {
    const rows = facts.indicators.map((r) => [r.name, r.current, r.asOf?.replace(/\s/g, ''), r.target]);
    expect(rows).toEqual([
      ['県民活動団体数', '2,201団体', '平成28年(2016年)度末', '今後調整'],
      ['県民活動をしたことがある県民の割合(県政世論調査)', '61.6%', '平成29年(2017年)調査', '今後調整'],
      ['地域の支援センターの設置市町数', '9市', '平成29年(2017年)', '今後調整'],
      ['認定NPO法人数(認定取得率)', '6法人(1.4%)', '平成29年(2017年)', '今後調整'],
      ['「あいかさねっと」への登録件数(団体、企業、個人)', '633件', '平成29年(2017年)末', '今後調整'],
    ]);
  });

  it('reads dated events with Gregorian years, and definitions', () => {
    const law = facts.events.find((e) => e.sentence.includes('休眠預金等活用法」が施行'));
    expect(law?.dates[0]).toMatchObject({ year: 2018, month: 1 });
    const terms = facts.definitions.map((d) => d.term);
    expect(terms).toEqual(expect.arrayContaining(['県民活動', '中間支援団体', '社会的インパクトボンド', 'npo']));
  });

  it('learns that this plan prints no phone number, address, hours, web address, amount or deadline', () => {
    expect(profile.typesHeld).toEqual([]);
    expect(profile.years).toEqual({ first: 1998, last: 2022 });
  });
});

describe('answers that lead with the fact', () => {
  it('gives an indicator’s value and target first: 「認定NPO法人って山口県にいくつあるの？」', async () => {
    const answer = await answers.answer('認定NPO法人って山口県にいくつあるの？');
    expect(answer.abstained).toBe(false);
    expect(answer.answer.split('\n')[0]).toBe('認定NPO法人数(認定取得率)は6法人(1.4%)（平成29年(2017年)）。目標値は今後調整とされています。');
    expect(answer.answer).toMatch(/（出典: 第5章/);
  });

  it('gives the row that names what is counted, from any passage shown as a source', async () => {
    // 第5章2 (認定NPO法人数) ranks first for 県民活動団体; the 県民活動団体数 row is in 第5章1.
    expect((await answers.answer('県民活動団体の数は？')).answer.split('\n')[0]).toBe('県民活動団体数は2,201団体（平成28年(2016年)度末）。目標値は今後調整とされています。');
  });

  it('prefers the row naming the whole focus word over one naming a part of it', async () => {
    // 第5章3 ranks first and holds 「あいかさねっと」への登録件数(団体、企業、個人): its 団体 is only part of 県民活動団体.
    expect((await answers.answer('県民活動団体はいくつ？')).answer.split('\n')[0]).toMatch(/^県民活動団体数は2,201団体/);
  });

  it('reads 数値目標 as the plan’s 評価指標, not as a question about a count of something', async () => {
    const answer = await answers.answer('この計画の数値目標は？');
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toMatch(/^県民活動団体数は2,201団体/);
  });

  it('gives the date first for a いつ question', async () => {
    const answer = await answers.answer('休眠預金等活用法はいつ施行されましたか');
    expect(answer.answer.split('\n')[0]).toBe('平成30年1月（2018年）です。');
    expect(answer.answer).toContain('施行');
  });

  it('gives the end of a period for いつまで and its start for いつから', async () => {
    // 「平成30年度から平成34年度までの5年間」: one question asks for each end.
    expect((await answers.answer('計画はいつまで？')).answer.split('\n')[0]).toBe('平成34年度（2022年）です。');
    expect((await answers.answer('この計画はいつから？')).answer.split('\n')[0]).toBe('平成30年度（2018年）です。');
    expect((await answers.answer('計画の期間は？')).answer.split('\n')[0]).toBe('平成30年度から平成34年度まで（2018〜2022年）です。');
  });

  it('dates what is asked, not another event the sentence dates', async () => {
    // The NPO法 section's sentence dates its 改正 (平成28年) and mentions 施行 later; the history dates the 施行.
    const answer = await answers.answer('NPO法が施行されたのはいつですか？');
    expect(answer.answer.split('\n')[0]).toBe('平成10年12月（1998年）です。');
    expect(answer.answer).toContain('特定非営利活動促進法');
  });

  it('takes the date from the clause that names what is asked when a sentence dates two things', async () => {
    const answer = await answers.answer('特定非営利活動促進法の施行はいつから？');
    expect(answer.answer.split('\n')[0]).toBe('平成10年12月（1998年）です。');
  });

  it('quotes a list as a list: 改定のポイント', async () => {
    const answer = await answers.answer('第3次改定のポイントとして、計画の達成度を測るために新しく設定されたものは何ですか？');
    expect(answer.answer).toContain('・(5)「評価指標」を新たに設定');
  });

  it('quotes a sentence that points back (この制度は、…) after the sentence it points to', async () => {
    const quote = (await answers.answer('休眠預金の制度とは？')).answer;
    expect(quote).toContain('この制度は、');
    expect(quote.indexOf('休眠預金等活用法')).toBeGreaterThanOrEqual(0);
    expect(quote.indexOf('休眠預金等活用法')).toBeLessThan(quote.indexOf('この制度は、'));
  });

  it('quotes no sentence twice and starts none with a connective', async () => {
    for (const q of ['休眠預金を活用することで、どんな効果が期待されていますか？', '県民活動支援センターはどんな運営をしていますか']) {
      const quote = (await answers.answer(q)).answer.split('\n').slice(1, -1).join('');
      expect(quote).not.toMatch(/^(また|さらに|一方)、/);
      const sentences = quote.split('。').filter(Boolean);
      expect(new Set(sentences).size).toBe(sentences.length);
    }
  });

  it('finds a plan word typed in kana or mistyped as a homophone', async () => {
    expect((await answers.answer('きゅうみんよきんって何？')).sources[0].section).toMatch(/休眠預金/);
    expect((await answers.answer('ちゅうかん支援団体って具体的にどんなことしてるの？')).answer).toContain('中間支援団体は、');
    expect((await answers.answer('県民活動促進機関はいつですか')).answer).toMatch(/10・11月/);
  });

  it('answers a compound the plan never writes when the plan uses all of its words', async () => {
    const answer = await answers.answer('ボランティア募集サイトはどこ？');
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toContain('あいかさねっと');
  });

  it('reads a short word typed in hiragana, and drops the pieces kuromoji cut it into', async () => {
    // ちいき (3 kana) is 地域; がくせい comes out of kuromoji as がく + せい, unknown words that would refuse.
    const region = await answers.answer('ちいきの問題を片付ける担い手って、県民活動団体のほかにどんなところがある？');
    expect(region.abstained).toBe(false);
    const students = await answers.answer('がくせいが自分たちで始めた活動って県は応援してくれる？');
    expect(students.abstained).toBe(false);
    expect(students.answer).toContain('学生');
  });
});

describe('refusals that name what is missing', () => {
  it.each([
    ['やまぐち県民活動支援センターの電話番号を教えてください', '連絡先（電話番号など）は書かれていません'],
    ['きらめき財団の助成って最大いくらまでもらえるの？', '金額は書かれていません'],
    ['広島県の県民活動促進計画の基本目標は何ですか', '「広島県」については書かれていません'],
    ['第4次の計画（令和5年度から）の評価指標の目標値は？', '令和5年度のことは書かれていません'],
    ['県民活動推進本部の会議は年に何回開催されますか', '回数や頻度は書かれていません'],
    ['NPO法人の設立には何日かかりますか', '手続きなどにかかる日数は書かれていません'],
    ['山口県知事は誰？', '役職にある人の名前は書かれていません'],
    ['ボランティア保険にはどうやって入るの？', '「保険」についての記述が見つかりません'],
    ['明日の天気を教えて', '「天気」についての記述が見つかりません'],
  ])('refuses 「%s」 saying 「%s」 and where to ask', async (question, missing) => {
    const answer = await answers.answer(question);
    expect(answer.abstained).toBe(true);
    expect(answer.sources).toEqual([]);
    expect(answer.answer).toContain(missing);
    expect(answer.answer).toContain('やまぐち県民活動支援センター');
  });

  it('refuses a count for a year the plan gives none for', async () => {
    const answer = await answers.answer('令和4年度末時点の県民活動団体数は何団体ですか');
    expect(answer.abstained).toBe(true);
    expect(answer.answer).toContain('数は書かれていません');
  });

  it('reads the plan’s abbreviation パブコメ in its long forms, in Japanese and English', async () => {
    for (const q of ['パブリックコメントはいつ？', 'When was the public comment held?']) {
      const answer = await answers.answer(q);
      expect(answer.abstained).toBe(false);
      expect(answer.answer).toContain('パブコメ実施');
    }
  });

  it('does not count framing words against the plan', async () => {
    for (const q of ['パブコメっていつやったの？', '県民活動支援センタ－はどんな方式で運営されていますか？', 'この計画は期間の途中で見直されることはありますか？']) {
      expect((await answers.answer(q)).abstained).toBe(false);
    }
  });
});

describe('English', () => {
  it('leads with an English sentence stating the number, then the Japanese row', async () => {
    const answer = await answers.answer('How many registrations did the Aikasanet volunteer site have at the end of 2017?');
    expect(answer.answer.split('\n')[0]).toMatch(/^The plan gives 633件 \(633 registrations\) for 「あいかさねっと」への登録件数.* as of 2017/);
    expect(answer.answer).toContain('The plan says (in Japanese):');
  });

  it('names the plan’s term for an English word the glossary does not list', async () => {
    const answer = await answers.answer('Which donation methods are attracting attention according to the plan?');
    expect(answer.answer.split('\n')[0]).toMatch(/^The plan's term for ".+" is .+\.$/);
    expect(answer.answer).toContain('遺贈寄付');
  });

  it('gives the date in English', async () => {
    const answer = await answers.answer('When did the Dormant Deposits Utilization Act come into force?');
    expect(answer.answer.split('\n')[0]).toBe('According to the plan: January 2018 (平成30年1月).');
  });

  it('finds a web site asked for with "where is", which the plan names, and still refuses a street address', async () => {
    const site = await answers.answer('Where is the volunteer matching site?');
    expect(site.abstained).toBe(false);
    expect(site.answer).toContain('あいかさねっと');
    expect((await answers.answer('ボランティアのマッチングサイトはどこにありますか')).answer).toContain('あいかさねっと');
    const center = await answers.answer('Where is the support center?');
    expect(center.abstained).toBe(true);
    expect(center.answer).toContain('addresses or venues');
  });

  it('reads the site’s name written apart (Aikasa Net) as the one name あいかさねっと, not as an unknown place', async () => {
    const answer = await answers.answer('What is Aikasa Net?');
    expect(answer.abstained).toBe(false);
    expect(answer.sources[0].section).toMatch(/あいかさねっと/);
  });

  it('reads "how long does it last" as a frame, not a topic: no date of some other period', async () => {
    // "last" was 最終/限り and "long" a focus word: the answer dated the public-comment period.
    const answer = await answers.answer('How long does the plan last?');
    expect(answer.answer).not.toMatch(/February 2018|平成30年2月/);
    expect(answer.answer).not.toMatch(/nothing on (long|last)/);
  });
});
