import { describe, expect, it } from 'vitest';
import { ACTION_CURATE, answerBlocks, BUTTON_VALUE_LIMIT, curateButtonValue, MAX_BLOCKS, SECTION_TEXT_LIMIT } from '../../../src/channels/slack/blocks.js';
import { escapeMrkdwn, fitMrkdwn, questionFromSlackText } from '../../../src/channels/slack/mrkdwn.js';
import type { Answer, Source } from '../../../src/qa/types.js';
import { TEST_PLAN } from '../../helpers/conversation.js';

const source = (i: number, text = `本文${i}`): Source => ({ rank: i, score: 1 / i, section: `第${i}章 > 第${i}節`, text, chunkId: `c${i}` });
const answer = (over: Partial<Answer> = {}): Answer => ({ answer: '答え', abstained: false, mode: 'extractive', language: 'ja', sources: [], ...over });
const sectionTexts = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);

describe('mrkdwn helpers', () => {
  it('escapes &, < and > so user text cannot become links or mentions', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> a>b')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; a&gt;b');
  });

  it('cuts to the limit without splitting an escape', () => {
    const cut = fitMrkdwn('&'.repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/^(&amp;)+…$/);
    expect(fitMrkdwn('short', 50)).toBe('short');
  });

  it('turns Slack message text back into the question', () => {
    expect(questionFromSlackText('<@UBOT>  寄附 &amp; 税制 &lt;特例&gt; <https://example.jp|県のページ>')).toBe('寄附 & 税制 <特例> 県のページ');
    expect(questionFromSlackText(undefined)).toBe('');
  });
});

describe('answerBlocks', () => {
  it('shows the answer, up to three sources with bold heading and quoted passage, then 👍/👎', () => {
    const { blocks, text } = answerBlocks(answer({ sources: [1, 2, 3, 4].map((i) => source(i, `一行目\n二行目 <${i}>`)) }), { id: 'id-1', plan: TEST_PLAN });
    const sections = sectionTexts(blocks);
    expect(sections[0]).toBe('答え');
    expect(sections.slice(1)).toEqual([1, 2, 3].map((i) => `*第${i}章 > 第${i}節*`.replace(/>/g, '&gt;') + `\n> 一行目\n> 二行目 &lt;${i}&gt;`));
    const actions = blocks.at(-1) as any;
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([
      ['feedback_up', 'id-1'],
      ['feedback_down', 'id-1'],
    ]);
    expect(text).toBe('答え');
  });

  it('keeps every section within 3,000 characters and the whole within 50 blocks', () => {
    const long = 'あ&'.repeat(5000);
    const { blocks, text } = answerBlocks(answer({ answer: long, sources: [source(1, long), source(2, '\n'.repeat(5000))] }), { id: 'x', plan: TEST_PLAN, postToChannel: true });
    for (const t of sectionTexts(blocks)) expect(t.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(JSON.stringify(blocks)).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('adds a note when the service abstained', () => {
    const plain = JSON.stringify(answerBlocks(answer(), { id: 'x', plan: TEST_PLAN }).blocks);
    const abstained = JSON.stringify(answerBlocks(answer({ abstained: true }), { id: 'x', plan: TEST_PLAN }).blocks);
    expect(plain).not.toContain('見つかりませんでした');
    expect(abstained).toContain('見つかりませんでした');
  });

  it('labels buttons in English for an English answer', () => {
    const { blocks } = answerBlocks(answer({ language: 'en', sources: [source(1)] }), { id: 'x', plan: TEST_PLAN, postToChannel: true });
    const labels = (blocks.at(-1) as any).elements.map((e: any) => e.text.text);
    expect(labels).toEqual(['👍 Helpful', '👎 Not helpful', 'Post to channel']);
  });
});

describe('the 「回答を登録・修正」 button', () => {
  const answer: Answer = { answer: '答え', abstained: true, mode: 'extractive', language: 'ja', sources: [] };

  it('carries the question, cut to Slack’s 2,000-character value limit without splitting a character', () => {
    const short = answerBlocks(answer, { id: 'a1', plan: TEST_PLAN, curateQuestion: '電話番号は？' });
    const buttons = (short.blocks.at(-1) as any).elements;
    expect(buttons.at(-1)).toMatchObject({ action_id: ACTION_CURATE, value: '電話番号は？', text: { text: '回答を登録・修正' } });

    const long = '𠮷'.repeat(1500);
    const value = curateButtonValue(long);
    expect(value.length).toBeLessThanOrEqual(BUTTON_VALUE_LIMIT);
    expect(value).toBe('𠮷'.repeat(1000));
    expect(answerBlocks(answer, { id: 'a1', plan: TEST_PLAN }).blocks.at(-1)).not.toMatchObject({ elements: expect.arrayContaining([expect.objectContaining({ action_id: ACTION_CURATE })]) });
  });
});
