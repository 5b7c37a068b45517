/**
 * What the two HTTP question endpoints share (`POST /api/ask` and the web page's
 * `POST /api/ask/stream`): the checks before a question is asked (token, JSON content type,
 * readiness, the per-client request limit, the body's size and shape), the AskRequest made
 * from it, and the status and JSON of an outcome that is not an answer. A helper of both, not a channel of its own.
 */
import type http from 'node:http';
import type { AnsweredOutcome, AskRequest, Conversation, UnansweredOutcome } from '../conversation/types.js';
import type { Logger } from '../logger.js';
import { toAnswerJson, type AnswerJson } from '../qa/answer-json.js';
import type { ShortLivedState } from '../state/short-lived-state.js';
import type { UserHasher } from '../user-hash.js';
import type { ClientAddressFn } from './client-address.js';
import { ClientAbortedError, readBodyWithin, sendJson } from './http-body.js';

export interface HttpQuestionOptions {
  conversation: Conversation;
  state: ShortLivedState;
  logger: Logger;
  /** False while the index loads: the question endpoints answer 503 meanwhile. */
  ready: () => boolean;
  /** Hashes the client's address: it is the API's user, and no raw address is kept or logged. */
  hashUser: UserHasher;
  /**
   * Requests one client may send a minute, to both endpoints together, counted before the body
   * is read: a guard for the server in front of the conversation layer's per-user question
   * limit (whose user here is the same client). 0 turns the guard off. @default 30
   */
  ratePerMinute?: number;
  /** Who the client is (TRUST_PROXY decides whether X-Forwarded-For counts). @default the peer's address */
  clientAddress?: ClientAddressFn;
  /** Shared token required as `Authorization: Bearer …` when set (WEB_TOKEN). */
  token?: string;
}

export interface AdmittedQuestion {
  text: string;
  /** The page's id for one tab's conversation; follow-ups are read against its earlier turns. */
  conversationId?: string;
  /** The client's hashed address. */
  client: string;
}

/** A random id a page makes (crypto.randomUUID), not something to guess: long enough, plain characters. */
const CONVERSATION_ID = /^[\w-]{8,100}$/;
const USAGE = 'Send JSON such as {"question": "休眠預金とは何ですか", "conversationId": "<optional id of this conversation>"}.';

/** Question bodies are a few hundred bytes; a big one is refused by its declared length, unread. */
const BODY_LIMIT_BYTES = 100_000;

const peerAddress: ClientAddressFn = (req) => req.socket.remoteAddress ?? '';

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(req: http.IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type']?.trim() ?? '');
}

/** Runs the checks in order; when one fails it sends the JSON error and returns undefined. */
export async function admitQuestion(req: http.IncomingMessage, res: http.ServerResponse, options: HttpQuestionOptions): Promise<AdmittedQuestion | undefined> {
  // Until the body has been read, a refusal closes the connection: what is left of the body
  // would otherwise be read as the next request on this keep-alive connection.
  const refuse = (status: number, error: string, message: string) => {
    if (!req.complete) res.setHeader('connection', 'close');
    return void sendJson(res, status, { error, message });
  };
  if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
    return refuse(401, 'unauthorized', 'This bot needs a token (Authorization: Bearer …).');
  }
  // A form or text/plain post is what another site's page can send without asking (CORS lets
  // those through unannounced): refusing it keeps other sites from spending a visitor's quota.
  if (!isJson(req)) return refuse(415, 'unsupported_media_type', `Send Content-Type: application/json. ${USAGE}`);
  if (!options.ready()) return refuse(503, 'not_ready', 'The index is still loading. Try again in a moment.');
  const client = options.hashUser(`http:${(options.clientAddress ?? peerAddress)(req)}`);
  const limit = options.ratePerMinute ?? 30;
  if (limit > 0 && (await options.state.hit(`http:requests:${client}`, 60_000)) > limit) {
    return refuse(429, 'rate_limited', '質問が多すぎます。1分ほど待ってからもう一度どうぞ。');
  }
  let body: { question?: unknown; conversationId?: unknown };
  try {
    const raw = await readBodyWithin(req, res, BODY_LIMIT_BYTES, () => refuse(413, 'too_large', 'The request is too large.'));
    if (!raw) return undefined;
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    if (error instanceof ClientAbortedError) throw error;
    return refuse(400, 'bad_json', USAGE);
  }
  if (typeof body?.question !== 'string') return refuse(400, 'bad_request', USAGE);
  const { conversationId } = body;
  if (conversationId !== undefined && (typeof conversationId !== 'string' || !CONVERSATION_ID.test(conversationId))) {
    return refuse(400, 'bad_request', 'conversationId must be 8 to 100 letters, digits, "-" or "_".');
  }
  return { text: body.question, conversationId, client };
}

export function askRequest(channel: 'api' | 'web', admitted: AdmittedQuestion, signal?: AbortSignal): Pick<AskRequest, 'channel' | 'chatKey' | 'userKey' | 'text' | 'signal'> {
  // The API and the page share one conversation per id, as they share the page's questions.
  const chatKey = admitted.conversationId && `http:${admitted.conversationId}`;
  return { channel, chatKey, userKey: `http:${admitted.client}`, text: admitted.text, signal };
}

/** An answer as JSON: the documented shape, plus what a follow-up was looked up as, and the conversation it belongs to. */
export function answerJson(admitted: AdmittedQuestion, outcome: AnsweredOutcome, ms: number): AnswerJson & { lookedUp?: string; conversationId?: string } {
  return {
    // The question as the conversation asked it: without control characters, cut to length.
    ...toAnswerJson(outcome.question, outcome.answer, ms),
    ...(outcome.lookedUp ? { lookedUp: outcome.lookedUp } : {}),
    ...(admitted.conversationId ? { conversationId: admitted.conversationId } : {}),
  };
}

/** The status and JSON error of an outcome that is not an answer; each says why. */
export function refusalOf(outcome: UnansweredOutcome): { status: number; body: { error: string; message: string } } {
  const status = { empty: 400, refused: 400, 'rate-limited': 429, failed: 500, busy: 503 }[outcome.kind];
  const error = { empty: 'bad_question', refused: 'bad_question', 'rate-limited': 'rate_limited', failed: 'internal_error', busy: 'answers_busy' }[outcome.kind];
  return { status, body: { error, message: outcome.message } };
}
