/**
 * The JSON API and health routes: `POST /api/ask` (the web page and scripts use it),
 * `GET /healthz` (the process is up) and `GET /readyz` (the index and tokenizer are loaded,
 * and which plan version and build are live).
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { isQuestionError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HttpRoute } from '../server.js';
import type { ShortLivedState } from '../state/short-lived-state.js';
import type { Answer, AnswerService } from '../qa/types.js';
import { BodyTooLargeError, readRawBody, sendJson } from './http-body.js';

/** The JSON shape of `npm run ask -- --json` and `POST /api/ask`. */
export interface AnswerJson {
  id?: string;
  question: string;
  answer: string;
  abstained: boolean;
  mode: Answer['mode'];
  sources: Array<{ rank: number; score: number; section: string; text: string }>;
  ms: number;
}

export function toAnswerJson(question: string, answer: Answer, ms: number, id?: string): AnswerJson {
  return {
    ...(id === undefined ? {} : { id }),
    question,
    answer: answer.answer,
    abstained: answer.abstained,
    mode: answer.mode,
    sources: answer.sources.map(({ rank, score, section, text }) => ({ rank, score, section, text })),
    ms: Math.round(ms * 10) / 10,
  };
}

export interface HttpApiOptions {
  /** Undefined until the engine has loaded: `/readyz` answers 503 and `/api/ask` 503 meanwhile. */
  answers: () => AnswerService | undefined;
  state: ShortLivedState;
  logger: Logger;
  /** Questions a client may ask a minute. @default 30 */
  ratePerMinute?: number;
  /** Shared token required as `Authorization: Bearer …` when set (WEB_TOKEN). */
  token?: string;
}

function clientKey(req: http.IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  const address = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim() || req.socket.remoteAddress || '';
  return createHash('sha256').update(address).digest('hex').slice(0, 16);
}

export const ANSWER_FAILED_MESSAGE = '申し訳ありません。回答中にエラーが起きました。';

/**
 * The checks every question endpoint makes, in order: token, readiness, rate limit, body.
 * When one fails it sends the JSON error and returns undefined. `/api/ask` and the web
 * page's `/api/ask/stream` share it, and share one rate-limit counter per client.
 */
export async function admitQuestion(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: HttpApiOptions,
): Promise<{ answers: AnswerService; question: string } | undefined> {
  const refuse = (status: number, error: string, message: string) => void sendJson(res, status, { error, message });
  if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
    return refuse(401, 'unauthorized', 'This bot needs a token (Authorization: Bearer …).');
  }
  const answers = options.answers();
  if (!answers) return refuse(503, 'not_ready', 'The index is still loading. Try again in a moment.');
  if ((await options.state.hit(`api:${clientKey(req)}`, 60_000)) > (options.ratePerMinute ?? 30)) {
    return refuse(429, 'rate_limited', '質問が多すぎます。1分ほど待ってからもう一度どうぞ。');
  }
  let body: { question?: unknown };
  try {
    body = JSON.parse((await readRawBody(req, 100_000)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse(413, 'too_large', 'The request is too large.');
    return refuse(400, 'bad_json', 'Send JSON such as {"question": "休眠預金とは何ですか"}.');
  }
  if (typeof body?.question !== 'string') {
    return refuse(400, 'bad_request', 'Send JSON such as {"question": "休眠預金とは何ですか"}.');
  }
  return { answers, question: body.question };
}

export function createHttpApiRoutes(options: HttpApiOptions): HttpRoute[] {
  const { logger } = options;

  const ask: HttpRoute = {
    method: 'POST',
    path: '/api/ask',
    async handle(req, res) {
      const admitted = await admitQuestion(req, res, options);
      if (!admitted) return;
      const started = performance.now();
      try {
        const answer = await admitted.answers.answer(admitted.question);
        sendJson(res, 200, toAnswerJson(admitted.question, answer, performance.now() - started));
      } catch (error) {
        if (isQuestionError(error)) return sendJson(res, 400, { error: 'bad_question', message: error.message });
        logger.error('api answer failed', { error });
        sendJson(res, 500, { error: 'internal_error', message: ANSWER_FAILED_MESSAGE });
      }
    },
  };

  const healthz: HttpRoute = { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { ok: true }) };
  const readyz: HttpRoute = {
    method: 'GET',
    path: '/readyz',
    handle(_req, res) {
      const answers = options.answers();
      if (!answers) return sendJson(res, 503, { ready: false });
      sendJson(res, 200, { ready: true, ...answers.info() });
    },
  };
  return [ask, healthz, readyz];
}
