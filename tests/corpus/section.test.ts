import { describe, expect, it } from 'vitest';
import { shortSectionPath } from '../../src/corpus/section.js';

describe('shortSectionPath', () => {
  it('keeps the chapter and the last heading, and drops 本文', () => {
    expect(shortSectionPath('本文 > 第5章 施策の展開方向 > 2 環境づくり > (5) 休眠預金の活用等')).toBe('第5章 施策の展開方向 > (5) 休眠預金の活用等');
    expect(shortSectionPath('本文 > 第1章 背景と趣旨')).toBe('第1章 背景と趣旨');
  });

  it('keeps the name of a summary', () => {
    expect(shortSectionPath('資料1 > 第2章 > 1 概要 > (1) 目的')).toBe('資料1 > 第2章 > (1) 目的');
  });

  it('joins with another separator and cuts to a length without splitting a character', () => {
    expect(shortSectionPath('本文 > 第5章 > 2 > (5) 休眠', { separator: ' › ' })).toBe('第5章 › (5) 休眠');
    expect(shortSectionPath(`本文 > ${'😀'.repeat(10)}`, { maxChars: 4 })).toBe('😀😀😀…');
  });
});
