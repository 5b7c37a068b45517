import { describe, expect, it } from 'vitest';
import { clauseAround } from '../../src/corpus/sentences.js';

describe('clauseAround', () => {
  const text = '平成10年12月からnpo法(以下「npo法」という、略称。)が施行され、県内でも法人が芽生え、平成11年10月には「センター」を設置した。';

  it('gives the clause between commas, counting none inside brackets', () => {
    expect(clauseAround(text, 0)).toBe('平成10年12月からnpo法(以下「npo法」という、略称。)が施行され');
    expect(clauseAround(text, text.indexOf('平成11年'))).toBe('平成11年10月には「センター」を設置した');
  });

  it('gives the whole text when it has no clause mark', () => {
    expect(clauseAround('平成30年1月より施行', 3)).toBe('平成30年1月より施行');
  });
});
