/**
 * The parser on small hand-made snippets, one per pattern the PDF extraction leaves behind
 * (full-width digits and brackets as in the real text).
 */
import { describe, expect, it } from 'vitest';
import { joinVerticalText, parsePlan } from '../../src/corpus/parse-plan.js';
import { sectionPath } from '../../src/corpus/section.js';

const pathsOf = (raw: string) => parsePlan(raw).map(sectionPath);
const find = (raw: string, suffix: string) => parsePlan(raw).find((s) => sectionPath(s).endsWith(suffix));

describe('parsePlan headings', () => {
  it('gives a chapter the label printed after its first page', () => {
    const raw = [
      '１ 県民活動への理解と参加促進',
      '県民活動を活発化させます。',
      '（１）情報発信と普及啓発',
      '情報を広く発信します。',
      '- 12 -',
      '第５章 施策の展開方向',
      '（２）県民活動参加のきっかけづくりと裾野の拡大',
      '気軽に参加できるようにします。',
    ].join('\n');
    expect(pathsOf(raw)).toEqual([
      '本文 > 第5章 施策の展開方向 > 1 県民活動への理解と参加促進',
      '本文 > 第5章 施策の展開方向 > 1 県民活動への理解と参加促進 > (1) 情報発信と普及啓発',
      '本文 > 第5章 施策の展開方向 > 1 県民活動への理解と参加促進 > (2) 県民活動参加のきっかけづくりと裾野の拡大',
    ]);
  });

  it('starts a new chapter where the numbered headings start over at 1', () => {
    const raw = [
      '１ 基本計画策定の経緯',
      '計画を策定しました。',
      '第１章 基本計画改定の背景と趣旨',
      '１ 県民活動の定義',
      '県民活動とは、営利を目的としない活動です。',
      '第２章 県民活動の定義と役割等',
    ].join('\n');
    expect(pathsOf(raw)).toEqual([
      '本文 > 第1章 基本計画改定の背景と趣旨 > 1 基本計画策定の経緯',
      '本文 > 第2章 県民活動の定義と役割等 > 1 県民活動の定義',
    ]);
  });

  it('reads `２ 県民活動団体の…` as a numbered heading and `(5)休眠預金の…` as a sub-heading', () => {
    const raw = [
      '第５章 施策の展開方向',
      '２ 県民活動団体の自立・持続的発展に向けた環境づくり',
      '地域に根ざす県民活動団体を支えます。',
      '(5)休眠預金の活用等による民間公益活動の促進',
      '休眠預金等を民間公益活動に活用します。',
    ].join('\n');
    const dormant = find(raw, '(5) 休眠預金の活用等による民間公益活動の促進');
    expect(dormant && sectionPath(dormant)).toBe(
      '本文 > 第5章 施策の展開方向 > 2 県民活動団体の自立・持続的発展に向けた環境づくり > (5) 休眠預金の活用等による民間公益活動の促進',
    );
    expect(dormant?.text).toBe('休眠預金等を民間公益活動に活用します。');
  });

  it.each([
    ['full-width brackets', '（５）休眠預金の活用等による民間公益活動の促進', '(5) 休眠預金の活用等による民間公益活動の促進'],
    ['the “new” mark 新', '新(5) 休眠預金の活用等による民間公益活動の促進', '(5) 休眠預金の活用等による民間公益活動の促進'],
    ['the “expanded” mark 拡', '拡(8)クラウドファンディング等寄附促進の仕組みづくり', '(8) クラウドファンディング等寄附促進の仕組みづくり'],
  ])('reads a sub-heading with %s', (_name, line, heading) => {
    const raw = ['２ 県民活動団体の自立・持続的発展に向けた環境づくり', line, '本文の一文です。'].join('\n');
    const section = find(raw, heading);
    expect(section?.headings).toEqual(['2 県民活動団体の自立・持続的発展に向けた環境づくり', heading]);
    expect(section?.text).toBe('本文の一文です。');
  });

  it('does not take a numbered sentence or a bare number for a heading', () => {
    const raw = ['１ 基本計画の期間', '基本計画の期間は5年間とします。', '２ 年間で見直します。', '３ 61.6'].join('\n');
    expect(pathsOf(raw)).toEqual(['本文 > 1 基本計画の期間']);
  });
});

describe('parsePlan on extraction noise', () => {
  it('joins vertical text, one character a line', () => {
    const raw = ['１ 基本目標', ...'誰もが県民活動に参加し'.split(''), '県民パワーで創る社会を目指します。'].join('\n');
    expect(parsePlan(raw)[0].text).toContain('誰もが県民活動に参加し');
    expect(parsePlan(raw)[0].text.split('\n').every((l) => [...l].length > 1)).toBe(true);
  });

  it('keeps line numbers stable when joining vertical text', () => {
    const joined = joinVerticalText(['a', 'b', 'c', '長い行です']);
    expect(joined).toEqual(['abc', '', '', '長い行です']);
    expect(joinVerticalText(['あ', 'い', '長い行です'])).toEqual(['あ', 'い', '長い行です']);
  });

  it('drops page numbers and diagram fragments', () => {
    const raw = ['１ 推進体制', '関係施策を総合的に調整し、', '- 6 -', '２章 県民', '着実に推進します。'].join('\n');
    expect(parsePlan(raw)[0].text).toBe('関係施策を総合的に調整し、着実に推進します。');
  });

  it('joins a sentence broken across lines, and starts bullets and finished sentences on a new line', () => {
    const raw = [
      '１ 基本計画策定の経緯',
      '○ 平成１１年１０月には「やまぐち',
      '県民活動支援センター」を設置し、幅広い',
      '県民活動を支援してきました。',
      '○ 平成１５年３月には基本計画を策定しました。',
      'その後、改定を重ねました。',
    ].join('\n');
    expect(parsePlan(raw)[0].text).toBe(
      '○ 平成11年10月には「やまぐち県民活動支援センター」を設置し、幅広い県民活動を支援してきました。\n' +
        '○ 平成15年3月には基本計画を策定しました。\nその後、改定を重ねました。',
    );
  });
});

describe('parsePlan parts', () => {
  it('labels a 資料 summary, and the plan restarting at 第１章 as 本文', () => {
    const raw = [
      '資料１',
      '「山口県県民活動促進基本計画」の第３次改定について',
      '１ 改定趣旨',
      '現行計画を見直します。',
      '第１章 基本計画改定の背景と趣旨',
      '１ 県民活動の定義',
      '県民活動とは営利を目的としない活動です。',
      '第２章 県民活動の定義と役割等',
      '１ 基本計画策定の経緯',
      '平成１５年３月に基本計画を策定しました。',
      '第１章 基本計画改定の背景と趣旨',
      '２ 基本計画改定の経緯',
      '情勢の変化を踏まえて改定します。',
    ].join('\n');
    expect(parsePlan(raw).map((s) => `${s.part}: ${sectionPath(s)}`)).toEqual([
      '資料1: 資料1',
      '資料1: 資料1 > 第1章 基本計画改定の背景と趣旨 > 1 改定趣旨',
      '資料1: 資料1 > 第2章 県民活動の定義と役割等 > 1 県民活動の定義',
      '本文: 本文 > 第1章 基本計画改定の背景と趣旨 > 1 基本計画策定の経緯',
      '本文: 本文 > 第1章 基本計画改定の背景と趣旨 > 2 基本計画改定の経緯',
    ]);
  });

  it('returns nothing for empty text, and sections without headings for prose', () => {
    expect(parsePlan('')).toEqual([]);
    const prose = parsePlan('今日は良い天気です。\n散歩に行きました。');
    expect(prose.every((s) => s.headings.length === 0)).toBe(true);
  });
});
