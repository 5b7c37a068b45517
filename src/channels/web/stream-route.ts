/**
 * `POST /api/ask/stream`: the web page's question endpoint. Same body, token, limits and errors
 * as `POST /api/ask`, but the answer arrives as server-sent events, so the page can show a
 * model's words as they come:
 *
 *   event: delta  data: "<text>"             (a JSON string, so a newline cannot end the event)
 *   event: done   data: {…same JSON as /api/ask…}
 *   event: error  data: {"error":"internal_error","message":"…"}
 *
 * The final answer may differ from the deltas (the model failed midway and the service fell
 * back to the extractive answer), so the page replaces what it streamed by `done.answer`.
 * An outcome that is no answer before the first delta (a refused question, the rate limit) is a
 * plain JSON error, as on /api/ask.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import type http from 'node:http';
import { isAnswered } from '../../conversation/types.js';
import type { HttpRoute } from '../../server.js';
import { sendJson } from '../http-body.js';
import { admitQuestion, answerJson, askRequest, refusalOf, type HttpQuestionOptions } from '../http-question.js';

function sendEvent(res: http.ServerResponse, event: 'delta' | 'done' | 'error', data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function createStreamRoute(options: HttpQuestionOptions): HttpRoute {
  return {
    method: 'POST',
    path: '/api/ask/stream',
    async handle(req, res) {
      const admitted = await admitQuestion(req, res, options);
      if (!admitted) return;
      const started = performance.now();
      // A reader who closes the tab or asks again should not keep a model generating for nobody.
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      let streaming = false;
      const open = () => {
        if (streaming) return;
        streaming = true;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          // nginx buffers proxied responses unless told not to, which would hold every delta back.
          'x-accel-buffering': 'no',
        });
      };
      const onDelta = (text: string) => {
        open();
        sendEvent(res, 'delta', text);
      };
      const outcome = await options.conversation.ask({ ...askRequest('web', admitted, controller.signal), onDelta });
      if (controller.signal.aborted) return void res.end();
      if (isAnswered(outcome)) {
        open();
        sendEvent(res, 'done', answerJson(admitted, outcome, performance.now() - started));
      } else if (streaming) {
        sendEvent(res, 'error', refusalOf(outcome).body);
      } else {
        const { status, body } = refusalOf(outcome);
        return sendJson(res, status, body);
      }
      res.end();
    },
  };
}
