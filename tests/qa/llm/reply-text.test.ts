import { describe, expect, it } from 'vitest';
import { isAbstention, normalizeCitations, showableSoFar, stripThinking } from '../../../src/qa/llm/reply-text.js';

const ranks = new Set([1, 2, 3]);

describe('normalizeCitations', () => {
  it('reads [n], full-width ［n］ and 【n】, runs [1][2] and lists [1, 2] / [1、2]', () => {
    expect(normalizeCitations('A[1]。B［２］。C【3】。', ranks)).toEqual({ text: 'A[1]。B[2]。C[3]。', cited: [1, 2, 3] });
    expect(normalizeCitations('A [2][1].', ranks)).toEqual({ text: 'A [2][1].', cited: [1, 2] });
    expect(normalizeCitations('A [1, 3]. B [2、3].', ranks)).toEqual({ text: 'A [1][3]. B [2][3].', cited: [1, 2, 3] });
  });

  it('drops a number that matches no passage, with the space before it', () => {
    expect(normalizeCitations('A [9]. B [1][7]. C［１０］。', ranks)).toEqual({ text: 'A. B [1]. C。', cited: [1] });
    expect(normalizeCitations('A [1, 9].', ranks)).toEqual({ text: 'A [1].', cited: [1] });
  });

  it('leaves brackets that are not citations alone', () => {
    expect(normalizeCitations('see [note] and [a1]', ranks)).toEqual({ text: 'see [note] and [a1]', cited: [] });
  });
});

describe('other reply helpers', () => {
  it('hides thinking blocks, closed or not', () => {
    expect(stripThinking('<think>hmm</think>答え[1]')).toBe('答え[1]');
    expect(stripThinking('答え[1]<think>still thinking')).toBe('答え[1]');
  });

  it('finds the sentinel even when wrapped', () => {
    expect(isAbstention('`NOT_IN_PLAN`')).toBe(true);
    expect(isAbstention('休眠預金[1]')).toBe(false);
  });

  it('holds back the sentinel, unclosed citations and thinking while streaming', () => {
    expect(showableSoFar('NOT_IN', ranks)).toBe('');
    expect(showableSoFar('NOT_IN_PLAN', ranks)).toBe('');
    expect(showableSoFar('休眠預金は [', ranks)).toBe('休眠預金は');
    expect(showableSoFar('休眠預金は [9] です', ranks)).toBe('休眠預金は です');
    expect(showableSoFar('<think>plan', ranks)).toBe('');
    expect(showableSoFar('Not in', ranks)).toBe('Not in');
  });
});
