/**
 * `POST /api/ask` with `{ "question": "…", "conversationId"?: "…" }`: one question through the
 * conversation layer, answered as one JSON object (src/qa/answer-json.ts). With a conversationId,
 * the server keeps the turns under it and a follow-up is read against them, as on LINE and Slack.
 */
import { sendJson } from '../http-body.js';
import { admitQuestion, answerJson, askRequest, refusalOf, type HttpQuestionOptions } from '../http-question.js';
import { isAnswered } from '../../conversation/types.js';
import type { HttpRoute } from '../../server.js';

export function createAskRoute(options: HttpQuestionOptions): HttpRoute {
  return {
    method: 'POST',
    path: '/api/ask',
    async handle(req, res) {
      const admitted = await admitQuestion(req, res, options);
      if (!admitted) return;
      const started = performance.now();
      const outcome = await options.conversation.ask(askRequest('api', admitted));
      if (isAnswered(outcome)) return sendJson(res, 200, answerJson(admitted, outcome, performance.now() - started));
      const { status, body } = refusalOf(outcome);
      sendJson(res, status, body);
    },
  };
}
