/** Answers made in a worker thread: the same answers, streams, follow-ups and errors as in-process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerAnswerService, type WorkerAnswerService } from '../../src/app/worker/worker-answer-service.js';
import { loadConfig } from '../../src/config.js';
import { isQuestionError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { offlineEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';

let service: WorkerAnswerService;
let index: TempIndex;

beforeAll(async () => {
  index = await tempIndex();
  // The worker gets the typed configuration from here; it reads no environment of its own.
  service = createWorkerAnswerService({ config: loadConfig(offlineEnv({ INDEX_DIR: index.dir, LOG_LEVEL: 'silent' })), logger: silentLogger });
  await service.ready;
}, 90_000);

afterAll(async () => {
  await service?.close();
  await index?.cleanup();
});

describe('worker answer service', () => {
  it('answers with sources and reports the live build', async () => {
    const answer = await service.answer('休眠預金とは何ですか');
    expect(answer.abstained).toBe(false);
    expect(answer.sources[0].text).toContain('休眠預金');
    expect(service.isReady()).toBe(true);
    expect(service.info()).toMatchObject({ planVersion: '3rd-2018', plan: { revision: '第3次改定' } });
  });

  it('resolves a follow-up in the worker, where the analyzer is', async () => {
    const resolved = await service.followUps.resolve('それはいつから施行されましたか', [{ question: '休眠預金とは何ですか', answer: '…' }]);
    expect(resolved).toEqual({ lookup: '休眠預金はいつから施行されましたか', followUp: true });
  });

  it('gives back a refused question as a QuestionError', async () => {
    const error = await service.answer('！？🙂').catch((e: unknown) => e);
    expect(isQuestionError(error)).toBe(true);
  });

  it('streams the answer and ends with the final one', async () => {
    const pieces: string[] = [];
    const stream = service.stream('あいかさねっとって何？');
    let step = await stream.next();
    for (; !step.done; step = await stream.next()) pieces.push(step.value);
    expect(pieces.join('')).toBe(step.value.answer);
    expect(step.value.answer).toContain('あいかさねっと');
  });

  it('answers questions concurrently, each with its own answer', async () => {
    const questions = ['休眠預金とは何ですか', '明日の天気を教えて', '社会的インパクトボンドとは？'];
    const answers = await Promise.all(questions.map((q) => service.answer(q)));
    expect(answers.map((a) => a.abstained)).toEqual([false, true, false]);
    expect(answers[2].sources[0].text).toContain('インパクトボンド');
  });
});
