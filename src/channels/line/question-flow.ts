/**
 * One question, start to finish: rate limit, cut to length, recall the conversation, answer,
 * remember, send. And the 根拠を見る postback that shows the passages behind an answer.
 */
import type { AnswerService } from '../../qa/types.js';
import type { Logger } from '../../logger.js';
import type { ShortLivedState } from '../../state/short-lived-state.js';
import type { Source } from '../../qa/types.js';
import type { TtlStore } from '../ttl-store.js';
import {
  answerMessages,
  decodeEvidencePostback,
  encodeEvidencePostback,
  evidenceMessages,
  exampleQuickReply,
  TEXT,
  textMessage,
} from './messages.js';
import type { Destination, LineSender } from './sender.js';
import { showProgressAfter } from '../progress-sign.js';

export interface RateLimitOptions {
  /** Questions a user may ask per window. @default 10 */
  max: number;
  /** @default 60000 */
  windowMs: number;
}

export interface MemoryOptions {
  /** Turns passed to the answer service as history. @default 4 */
  maxTurns: number;
  /** A conversation is forgotten after this much silence. @default 1800000 (30 min) */
  ttlMs: number;
}

export interface QuestionFlowDeps {
  answers: AnswerService;
  state: ShortLivedState;
  logger: Logger;
  sender: LineSender;
  evidence: TtlStore<Source[]>;
  maxQuestionChars: number;
  rateLimit: RateLimitOptions;
  memory: MemoryOptions;
  now: () => number;
  /** Wait before the loading animation: a fast answer needs none. */
  progressDelayMs: number;
}

/** Who asked, for keys and logs. */
export interface Asker {
  /** The LINE user id when LINE gave one, else the group or room id. */
  rateKey: string;
  /** One conversation per user per chat. */
  conversationKey: string;
  /** Set in one-to-one chats only: LINE shows the loading animation there alone. */
  loadingChatId?: string;
}

export function createQuestionFlow(deps: QuestionFlowDeps) {
  const { answers, state, logger, sender, evidence, maxQuestionChars, rateLimit, memory, now } = deps;

  async function ask(dest: Destination, asker: Asker, text: string): Promise<void> {
    const count = await state.hit(`line:rate:${asker.rateKey}`, rateLimit.windowMs);
    if (count > rateLimit.max) {
      // Tell the user once per window; answering every extra message would only add to the flood.
      if (count === rateLimit.max + 1) await sender.send(dest, [textMessage(TEXT.rateLimited)]);
      logger.info('LINE question rate-limited', { user: dest.user, count });
      return;
    }
    if (!text.trim()) {
      await sender.send(dest, [textMessage(TEXT.emptyQuestion, exampleQuickReply())]);
      return;
    }
    const chars = Array.from(text.trim());
    const shortened = chars.length > maxQuestionChars;
    const question = shortened ? chars.slice(0, maxQuestionChars).join('') : chars.join('');

    const started = now();
    const chatId = asker.loadingChatId;
    const loading = chatId ? showProgressAfter(deps.progressDelayMs, () => sender.showLoading(chatId, dest.user)) : undefined;
    let answer;
    try {
      const history = await state.getTurns(asker.conversationKey);
      answer = await answers.answer(question, { history, user: dest.user });
    } finally {
      // Sending before the animation request lands would leave the animation running after the answer.
      await loading?.stop();
    }
    const evidenceData =
      answer.abstained || answer.sources.length === 0
        ? undefined
        : encodeEvidencePostback({ id: evidence.put(answer.sources), q: answer.standaloneQuestion ?? question });
    await state.addTurn(asker.conversationKey, { question, answer: answer.answer }, memory.maxTurns, memory.ttlMs);
    const messages = answerMessages(answer, { question, shortenedTo: shortened ? maxQuestionChars : undefined, evidenceData });
    const via = await sender.send(dest, messages);
    logger.info('LINE answer sent', {
      user: dest.user,
      via,
      mode: answer.mode,
      abstained: answer.abstained,
      sources: answer.sources.length,
      questionChars: chars.length,
      answerMs: now() - started,
    });
  }

  async function showEvidence(dest: Destination, data: string): Promise<void> {
    const postback = decodeEvidencePostback(data);
    if (!postback) return; // not ours (a rich menu's postback, say): nothing to show
    let sources = evidence.get(postback.id);
    if (!sources && postback.q) {
      const again = await answers.answer(postback.q);
      sources = again.abstained ? [] : again.sources;
    }
    await sender.send(dest, sources ? evidenceMessages(sources) : [textMessage(TEXT.evidenceGone)]);
  }

  return { ask, showEvidence };
}
