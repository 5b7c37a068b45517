/**
 * `POST /api/ask/stream`: the web page's question endpoint. Same body, token, rate limit
 * and errors as `POST /api/ask`, but the answer arrives as server-sent events, so the page
 * can show a model's words as they come:
 *
 *   event: delta  data: "<text>"             (a JSON string, so a newline cannot end the event)
 *   event: done   data: {…same JSON as /api/ask…}
 *   event: error  data: {"error":"internal_error","message":"…"}
 *
 * The final answer may differ from the deltas (the model failed midway and the service fell
 * back to the extractive answer), so the page replaces what it streamed by `done.answer`.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import type http from 'node:http';
import { isQuestionError } from '../../errors.js';
import type { HttpRoute } from '../../server.js';
import type { Answer } from '../../qa/types.js';
import { admitQuestion, ANSWER_FAILED_MESSAGE, toAnswerJson, type HttpApiOptions } from '../http-api.js';
import { sendJson } from '../http-body.js';

function sendEvent(res: http.ServerResponse, event: 'delta' | 'done' | 'error', data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function createAskStreamRoute(options: HttpApiOptions): HttpRoute {
  const { logger } = options;
  return {
    method: 'POST',
    path: '/api/ask/stream',
    async handle(req, res) {
      const admitted = await admitQuestion(req, res, options);
      if (!admitted) return;
      const { answers, question } = admitted;
      const started = performance.now();

      // A reader who closes the tab or asks again should not keep a model generating for nobody.
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const stream = answers.stream(question, { signal: controller.signal });

      // The question is analysed before the first delta: a bad one still gets a plain JSON 400.
      let step: IteratorResult<string, Answer>;
      try {
        step = await stream.next();
      } catch (error) {
        if (isQuestionError(error)) return sendJson(res, 400, { error: 'bad_question', message: error.message });
        logger.error('web answer failed', { error });
        return sendJson(res, 500, { error: 'internal_error', message: ANSWER_FAILED_MESSAGE });
      }

      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // nginx buffers proxied responses unless told not to, which would hold every delta back.
        'x-accel-buffering': 'no',
      });
      try {
        // After an abort the signal has reached the model; the generator is simply left behind.
        while (!step.done && !controller.signal.aborted) {
          sendEvent(res, 'delta', step.value);
          step = await stream.next();
        }
        if (step.done) sendEvent(res, 'done', toAnswerJson(question, step.value, performance.now() - started));
      } catch (error) {
        logger.error('web answer failed while streaming', { error });
        sendEvent(res, 'error', { error: 'internal_error', message: ANSWER_FAILED_MESSAGE });
      }
      res.end();
    },
  };
}
