import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_ANSWER, BLOCK_PHRASINGS, BLOCK_SECTION, CURATE_CALLBACK_ID } from '../../../src/channels/slack/curation-modal.js';
import { NOT_CURATOR_TEXT } from '../../../src/channels/slack/curation.js';
import { openCuratedStack, type CuratedStack } from '../../helpers/curated-stack.js';
import { sampleAnswer, sendForm, sendInteraction, startHarness, type Harness } from './harness.js';

/** Saves reported to the matcher (so that it reloads at once). */
let reloads = 0;

/** The plan answers nothing here; a curated question is answered by the conversation layer, as in the bot. */
function harnessOver(curated: CuratedStack, curators?: string[]) {
  reloads = 0;
  const saved = async () => {
    reloads += 1;
    await curated.matcher.reload();
  };
  return startHarness((question) => sampleAnswer(question, { answer: '計画書には記述が見つかりませんでした。', abstained: true, sources: [] }), {
    curated: { answers: curated.store.curated, matcher: curated.matcher, saved },
    curators,
  });
}

describe('Slack channel: staff write curated answers', () => {
  let h: Harness;
  let curated: CuratedStack;
  afterEach(async () => {
    await h?.close();
    await curated?.close();
  });
  const stored = () => curated.store.curated.list({ includeInactive: true });

  let responses = 0;
  async function askBySlash(text: string) {
    const before = h.fake.callsTo('response_url').length;
    await sendForm(h, {
      token: 'x', team_id: 'T0001', team_domain: 'test', channel_id: 'C9', channel_name: 'general', user_id: 'U1', user_name: 'taro',
      command: '/kenmin', text, api_app_id: 'A1', response_url: h.fake.responseUrl(), trigger_id: `t${++responses}`,
    });
    const replies = await h.fake.waitForCalls('response_url', before + 1);
    await h.channel.idle();
    return replies[before].args;
  }
  const buttons = (message: any) => message.blocks.find((b: any) => b.type === 'actions').elements as any[];

  const click = (value: string, user = 'U1', triggerId = 'trigger-1') =>
    sendInteraction(h, {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'test' },
      user: { id: user, username: user, team_id: 'T0001' },
      api_app_id: 'A1',
      token: 'x',
      container: { type: 'message', message_ts: '1.1', channel_id: 'C9', is_ephemeral: true },
      trigger_id: triggerId,
      channel: { id: 'C9', name: 'general' },
      response_url: h.fake.responseUrl(),
      actions: [{ type: 'button', action_id: 'curate_answer', block_id: 'b1', value, text: { type: 'plain_text', text: '回答を登録・修正' }, action_ts: '2.2' }],
    });

  const input = (value: string) => ({ value: { type: 'plain_text_input', value } });
  const submit = (view: any, fields: { phrasings: string; answer: string; section?: string }, user = 'U1') =>
    sendInteraction(h, {
      type: 'view_submission',
      team: { id: 'T0001', domain: 'test' },
      user: { id: user, username: user, team_id: 'T0001' },
      api_app_id: 'A1',
      token: 'x',
      trigger_id: 'trigger-submit',
      view: {
        id: view.id,
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        team_id: 'T0001',
        app_id: 'A1',
        bot_id: 'BBOT',
        hash: 'h1',
        state: {
          values: {
            [BLOCK_PHRASINGS]: input(fields.phrasings),
            [BLOCK_ANSWER]: input(fields.answer),
            [BLOCK_SECTION]: input(fields.section ?? ''),
          },
        },
      },
    });

  const inputBlock = (view: any, blockId: string) => view.blocks.find((b: any) => b.block_id === blockId);

  it('button → views.open prefilled with the question → view_submission stores it → the next such question gets it', async () => {
    curated = await openCuratedStack();
    h = await harnessOver(curated);
    const question = 'センターの電話番号は？';

    const refusal = await askBySlash(question);
    const button = buttons(refusal).find((b) => b.action_id === 'curate_answer');
    expect(button.text.text).toBe('回答を登録・修正');
    expect(button.value).toBe(question);

    expect((await click(button.value)).status).toBe(200);
    const [opened] = await h.fake.waitForCalls('views.open', 1);
    expect(opened.args.trigger_id).toBe('trigger-1');
    const view = opened.args.view;
    expect(view.callback_id).toBe(CURATE_CALLBACK_ID);
    expect(view.title.text).toBe('回答を登録');
    expect(inputBlock(view, BLOCK_PHRASINGS).element.initial_value).toBe(question);
    expect(inputBlock(view, BLOCK_ANSWER).element.initial_value).toBeUndefined();

    // An empty answer stays in the modal, with the error under its field.
    const empty = await submit(view, { phrasings: question, answer: '  ' });
    expect(await empty.json()).toEqual({ response_action: 'errors', errors: { [BLOCK_ANSWER]: '回答を入力してください。' } });
    expect(await stored()).toHaveLength(0);
    expect(reloads).toBe(0);

    const saved = await submit(view, { phrasings: `${question}\nセンターに電話したい`, answer: '電話は 083-000-0000（テスト用）です。', section: 's3-1' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toBe('');
    expect(await stored()).toMatchObject([
      { id: 1, phrasings: [question, 'センターに電話したい'], answer: '電話は 083-000-0000（テスト用）です。', sectionId: 's3-1', active: true, authorHash: curated.store.hashUser('slack:U1') },
    ]);
    const [confirmation] = await h.fake.waitForCalls('chat.postEphemeral', 1);
    // The listener goes on to reload the matcher (its first answer loads the analyzer).
    await h.channel.idle();
    expect(reloads).toBe(1);
    expect(confirmation.args).toMatchObject({ channel: 'C9', user: 'U1' });
    expect(confirmation.args.text).toContain('#1「センターの電話番号は？」を登録しました');

    // The next such question, asked as written and reworded, gets it under the center's label.
    for (const next of [question, 'センターの電話番号を教えて']) {
      const answered = await askBySlash(next);
      const text = answered.blocks[0].text.text as string;
      expect(text).toContain('やまぐち県民活動支援センターの回答');
      expect(text).toContain('電話は 083-000-0000（テスト用）です。');
    }
  });

  it('says which curated answer the modal would replace, and saving updates that one', async () => {
    curated = await openCuratedStack();
    await curated.store.curated.add({ phrasings: ['センターの開館時間は？'], answer: '9時から17時です。', author: 'admin' });
    await curated.matcher.reload();
    h = await harnessOver(curated);

    await click('センターの開館時間は何時から？');
    const [opened] = await h.fake.waitForCalls('views.open', 1);
    const view = opened.args.view;
    expect(view.title.text).toBe('回答を修正');
    expect(JSON.stringify(view.blocks[0])).toContain('#1「センターの開館時間は？」');
    expect(inputBlock(view, BLOCK_ANSWER).element.initial_value).toBe('9時から17時です。');
    // The new wording joins the existing phrasings.
    expect(inputBlock(view, BLOCK_PHRASINGS).element.initial_value).toBe('センターの開館時間は？\nセンターの開館時間は何時から？');

    expect((await submit(view, { phrasings: 'センターの開館時間は？', answer: '9時から18時です。' })).status).toBe(200);
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 1, answer: '9時から18時です。', authorHash: curated.store.hashUser('slack:U1') });
    const [confirmation] = await h.fake.waitForCalls('chat.postEphemeral', 1);
    expect(confirmation.args.text).toContain('を更新しました');
    await h.channel.idle();
  });

  it('lets only SLACK_CURATORS (users and usergroup members) open or save, and tells others politely', async () => {
    curated = await openCuratedStack();
    h = await harnessOver(curated, ['U9', 'S0STAFF']);
    h.fake.setUsergroup('S0STAFF', ['U2']);

    await click('センターの住所は？', 'U1');
    const [refusal] = await h.fake.waitForCalls('response_url', 1);
    expect(refusal.args).toMatchObject({ response_type: 'ephemeral', text: NOT_CURATOR_TEXT });
    expect(h.fake.callsTo('views.open')).toHaveLength(0);

    // A usergroup member may; the group's members are asked once and kept.
    await click('センターの住所は？', 'U2', 'trigger-2');
    const [opened] = await h.fake.waitForCalls('views.open', 1);
    expect(opened.args.trigger_id).toBe('trigger-2');
    await click('センターの住所は？', 'U2', 'trigger-3');
    await h.fake.waitForCalls('views.open', 2);
    expect(h.fake.callsTo('usergroups.users.list')).toHaveLength(1);

    // A forged or late submission from someone else is refused in the modal and stores nothing.
    const forged = await submit(opened.args.view, { phrasings: 'センターの住所は？', answer: '山口市です。' }, 'U1');
    expect(await forged.json()).toEqual({ response_action: 'errors', errors: { [BLOCK_ANSWER]: NOT_CURATOR_TEXT } });
    expect(await stored()).toHaveLength(0);

    expect((await submit(opened.args.view, { phrasings: 'センターの住所は？', answer: '山口市です。' }, 'U2')).status).toBe(200);
    expect(await stored()).toHaveLength(1);
  });

  it('shows no curating button when there are no curated answers to write', async () => {
    h = await startHarness();
    const reply = await askBySlash('NPO への支援は？');
    expect(buttons(reply).map((b) => b.action_id)).not.toContain('curate_answer');
  });
});
