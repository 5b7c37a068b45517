/**
 * A 4th revision goes live naming itself everywhere, with no code change: plans.json gives its
 * title and revision, `npm run index` builds it, and the LINE greeting, the answer's frame, a
 * refusal and the Slack blocks all say 第4次改定 (never 第3次).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultAnswerService } from '../../src/app/local-answers.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { AnswerService } from '../../src/qa/types.js';
import { event, startHarness as startLine, textEvent, type Harness as LineHarness } from '../channels/line/harness.js';
import { eventEnvelope, sendEvent, sendForm, startHarness as startSlack, type Harness as SlackHarness } from '../channels/slack/harness.js';
import { makeTempDir, offlineEnv } from '../helpers/temp-index.js';
import { runScript } from '../scripts/run-script.js';

const FOURTH = '山口県県民活動促進基本計画（第4次改定）';
let dir: string;
let answers: AnswerService;

beforeAll(async () => {
  dir = await makeTempDir('fourth');
  const corpus = path.join(dir, 'corpus');
  await fs.mkdir(corpus);
  for (const file of ['glossary.json', 'eval-questions.jsonl']) await fs.copyFile(path.join(PROJECT_ROOT, 'corpus', file), path.join(corpus, file));
  await fs.copyFile(path.join(PROJECT_ROOT, 'corpus', 'yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), path.join(corpus, 'plan-4th.txt'));
  const plans = {
    current: '4th-2023',
    plans: [
      {
        version: '4th-2023',
        file: 'plan-4th.txt',
        title: '山口県県民活動促進基本計画',
        revision: '第4次改定',
        period: { label: '令和5〜9年度', fromFiscalYear: 2023, toFiscalYear: 2027 },
        english: { title: 'Yamaguchi Prefecture civic-activity plan', revision: '4th revision' },
      },
    ],
  };
  await fs.writeFile(path.join(corpus, 'plans.json'), JSON.stringify(plans, null, 2));
  const env = offlineEnv({ CORPUS_DIR: corpus, INDEX_DIR: path.join(dir, 'index'), DATA_DB_PATH: ':memory:', LOG_LEVEL: 'warn' });
  // As a maintainer would: no --version, no --source; the label and the name come from plans.json.
  const run = await runScript('build-index.ts', [], env as NodeJS.ProcessEnv);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(`plan 4th-2023 (${FOURTH})`);
  ({ answers } = await createDefaultAnswerService(loadConfig(env), silentLogger));
}, 90_000);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('a 4th version named in plans.json', () => {
  let line: LineHarness | undefined;
  let slack: SlackHarness | undefined;
  afterEach(async () => {
    await line?.close();
    await slack?.close();
    line = slack = undefined;
  });

  it('is what the live index calls itself', () => {
    expect(answers.info()).toMatchObject({ planVersion: '4th-2023', plan: { title: '山口県県民活動促進基本計画', revision: '第4次改定', period: '令和5〜9年度' } });
  });

  it('names itself in the answer’s frame and in a refusal, in Japanese and English', async () => {
    const answer = await answers.answer('休眠預金とは何ですか');
    expect(answer.answer.startsWith(`「${FOURTH}」には次のように書かれています。`)).toBe(true);
    const refusal = await answers.answer('明日の天気を教えて');
    expect(refusal.abstained).toBe(true);
    expect(refusal.answer).toContain(`「${FOURTH}」には書かれていないようです`);
    expect((await answers.answer("What's the capital of France?")).answer).toContain('the Yamaguchi Prefecture civic-activity plan (4th revision)');
    for (const text of [answer.answer, refusal.answer]) expect(text).not.toContain('第3次');
  });

  it('names itself in the LINE greeting and answers', async () => {
    line = await startLine({ answers });
    await line.deliver(event({ type: 'follow', follow: { isUnblocked: false } }));
    await line.deliver(textEvent('休眠預金とは何ですか'));
    const [greeting, reply] = line.replies().map((r) => r.body.messages[0].text as string);
    expect(greeting).toContain(`「${FOURTH}」について`);
    expect(reply).toContain(`「${FOURTH}」には次のように`);
    for (const text of [greeting, reply]) expect(text).not.toContain('第3次');
  });

  it('names itself in the Slack blocks and the slash command’s help', async () => {
    slack = await startSlack((q) => answers.answer(q), { info: answers.info() });
    await sendEvent(slack, eventEnvelope({ type: 'app_mention', user: 'U1', text: '<@UBOT> 休眠預金とは何ですか', ts: '1700000700.000001', channel: 'C1', event_ts: '1700000700.000001' }));
    const [post] = await slack.fake.waitForCalls('chat.postMessage', 1);
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain(`*出典*（${FOURTH}）`);
    expect(blocks).not.toContain('第3次');
    const help = await sendForm(slack, { command: '/kenmin', text: ' ', user_id: 'U1', team_id: 'T0001', channel_id: 'C1', response_url: slack.fake.responseUrl(), trigger_id: 't' });
    expect((await help.json()).text).toContain(`${FOURTH}について質問できます`);
  });
});
