/**
 * A LINE question, translated: the loading animation while the conversation layer answers,
 * then its outcome as LINE messages, sent. And the 根拠を見る postback that shows the passages
 * behind an answer. Limits, cutting, history, follow-ups and errors are the conversation's.
 */
import type { Conversation } from '../../conversation/types.js';
import { isAnswered } from '../../conversation/types.js';
import type { Logger } from '../../logger.js';
import type { Source } from '../../qa/types.js';
import { showProgressAfter } from '../progress-sign.js';
import type { TtlStore } from '../ttl-store.js';
import { answerMessages, decodeEvidencePostback, encodeEvidencePostback, evidenceMessages, textMessage, TEXT, unansweredMessages } from './messages.js';
import type { Destination, LineSender } from './sender.js';

export interface QuestionReplyDeps {
  conversation: Conversation;
  logger: Logger;
  sender: LineSender;
  evidence: TtlStore<Source[]>;
  /** Wait before the loading animation: a fast answer needs none. */
  progressDelayMs: number;
}

/** Who asked, in the conversation layer's terms. */
export interface Asker {
  /** `line:<user id>`, or the group or room id when LINE gave no user. */
  userKey: string;
  /** One conversation per user per chat. */
  chatKey: string;
  /** Set in one-to-one chats only: LINE shows the loading animation there alone. */
  loadingChatId?: string;
}

/**
 * When to show the loading animation for a question that waited `waitedMs` in the answer
 * queue: the wait counts towards the delay, so a user is not left a second longer for it.
 * A question that already waited past the delay is answered at once now (offline answers take
 * milliseconds): an animation then would be one more call, sent just before the answer, on a
 * server that is busy already; it is shown only if the answer itself takes the full delay.
 */
export function loadingDelay(progressDelayMs: number, waitedMs: number): number {
  return waitedMs < progressDelayMs ? progressDelayMs - waitedMs : progressDelayMs;
}

export function createQuestionReplies(deps: QuestionReplyDeps) {
  const { conversation, logger, sender, evidence } = deps;

  /** `waitedMs`: how long the question already waited for an answer worker. */
  async function ask(dest: Destination, asker: Asker, text: string, waitedMs = 0): Promise<void> {
    const chatId = asker.loadingChatId;
    const loading = chatId ? showProgressAfter(loadingDelay(deps.progressDelayMs, waitedMs), () => sender.showLoading(chatId, dest.user)) : undefined;
    let outcome;
    try {
      outcome = await conversation.ask({ channel: 'line', chatKey: asker.chatKey, userKey: asker.userKey, text });
    } finally {
      // Sending before the animation request lands would leave the animation running after the answer.
      await loading?.stop();
    }
    if (!isAnswered(outcome)) {
      const messages = unansweredMessages(outcome);
      if (messages.length) await sender.send(dest, messages);
      return;
    }
    const { answer } = outcome;
    const evidenceData =
      answer.abstained || answer.sources.length === 0
        ? undefined
        : encodeEvidencePostback({ id: evidence.put(answer.sources), q: outcome.lookedUp ?? answer.standaloneQuestion ?? outcome.question });
    const via = await sender.send(dest, answerMessages(answer, { question: outcome.question, evidenceData }));
    logger.info('LINE answer sent', { user: dest.user, via, kind: outcome.kind, mode: answer.mode, abstained: answer.abstained, sources: answer.sources.length });
  }

  async function showEvidence(dest: Destination, data: string): Promise<void> {
    const postback = decodeEvidencePostback(data);
    if (!postback) return; // not ours (a rich menu's postback, say): nothing to show
    const sources = evidence.get(postback.id) ?? (postback.q ? await conversation.sources(postback.q) : undefined);
    await sender.send(dest, sources ? evidenceMessages(sources) : [textMessage(TEXT.evidenceGone)]);
  }

  return { ask, showEvidence };
}
