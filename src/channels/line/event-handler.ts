/**
 * One webhook event → what to do: de-duplicate, decide whether the bot was addressed, then
 * greet, answer, show evidence or stay silent. Errors of any event go to the one error handler.
 */
import type { webhook } from '@line/bot-sdk';
import type { Conversation } from '../../conversation/types.js';
import type { Logger } from '../../logger.js';
import type { ShortLivedState } from '../../state/short-lived-state.js';
import { foldWidth } from '../../text/normalize.js';
import type { UserHasher } from '../../user-hash.js';
import type { LineErrorHandler } from './error-handler.js';
import { exampleQuickReply, TEXT, textMessage } from './messages.js';
import type { createQuestionReplies } from './reply-to-question.js';
import type { Destination, LineSender } from './sender.js';

/** LINE redelivers a failed webhook for a while; a day comfortably covers it. */
const DEDUPE_TTL_MS = 24 * 60 * 60_000;

export interface EventHandlerDeps {
  state: ShortLivedState;
  logger: Logger;
  sender: LineSender;
  conversation: Pick<Conversation, 'plan'>;
  replies: ReturnType<typeof createQuestionReplies>;
  onError: LineErrorHandler;
  groupPrefix: string;
  now: () => number;
  hashUser: UserHasher;
}

/** The chat an event came from: the push target, and the same key for all its events. */
export function chatIdOf(source: webhook.Source | undefined): string | undefined {
  if (!source) return undefined;
  if (source.type === 'group') return source.groupId;
  if (source.type === 'room') return source.roomId;
  return source.userId;
}


/**
 * In a group or room, the question addressed to the bot, or undefined when the message is for
 * the others. Mention offsets count UTF-16 units, like JavaScript strings.
 */
export function addressedText(message: webhook.TextMessageContent, groupPrefix: string): string | undefined {
  const self = (message.mention?.mentionees ?? []).filter((m) => m.type === 'user' && (m as webhook.UserMentionee).isSelf === true);
  if (self.length > 0) {
    let text = message.text;
    for (const m of [...self].sort((a, b) => b.index - a.index)) text = text.slice(0, m.index) + text.slice(m.index + m.length);
    return text.trim();
  }
  // The prefix matches in its full-width form too: Japanese keyboards type `？`, not `?`.
  const trimmed = message.text.trimStart();
  const prefix = foldWidth(groupPrefix);
  if (!prefix || !foldWidth(trimmed).startsWith(prefix)) return undefined;
  // Width folding keeps every character one character long, so the prefix's length holds in the text.
  return trimmed.slice(prefix.length).trim();
}

/** What the server knows of an event beyond its body. */
export interface EventContext {
  /** How long the event waited for an answer worker after its 200: the loading animation counts it. */
  waitedMs: number;
}

export function createEventHandler(deps: EventHandlerDeps): (event: webhook.Event, context?: EventContext) => Promise<void> {
  const { state, logger, sender, conversation, replies, onError, groupPrefix, now, hashUser } = deps;

  async function dispatch(event: webhook.Event, dest: Destination, context: EventContext | undefined): Promise<void> {
    const source = event.source;
    const oneToOne = source?.type === 'user';
    switch (event.type) {
      case 'follow':
        await sender.send(dest, [textMessage(TEXT.greeting(await conversation.plan()), exampleQuickReply())]);
        return;
      case 'postback':
        await replies.showEvidence(dest, event.postback.data);
        return;
      case 'message': {
        if (event.message.type !== 'text') {
          // Stickers and photos are friendly in a one-to-one chat; in a group they are not for us.
          if (oneToOne) await sender.send(dest, [textMessage(TEXT.nonText(await conversation.plan()), exampleQuickReply())]);
          return;
        }
        const text = oneToOne ? event.message.text : addressedText(event.message, groupPrefix);
        if (text === undefined) return;
        const chat = chatIdOf(source) ?? 'unknown';
        const userId = source?.userId;
        const asker = {
          userKey: `line:${userId ?? chat}`,
          chatKey: `line:${chat}:${userId ?? ''}`,
          loadingChatId: oneToOne ? userId : undefined,
        };
        await replies.ask(dest, asker, text, context?.waitedMs ?? 0);
        return;
      }
      default:
        return; // unfollow, join, unsend …: nothing to say
    }
  }

  return async (event, context) => {
    // Standby: another channel (a module) owns this chat now, and it replies, not us.
    if (event.mode === 'standby') return;
    // The same key and hasher as the conversation layer's: one user, one hash in every log line.
    const user = hashUser(`line:${event.source?.userId ?? chatIdOf(event.source) ?? 'anonymous'}`);
    const replyToken = 'replyToken' in event ? (event.replyToken as string | undefined) : undefined;
    // A missing timestamp would make every reply look late; treat the event as fresh instead.
    const eventTime = Number.isFinite(event.timestamp) ? event.timestamp : now();
    const dest: Destination = { replyToken, eventTime, to: chatIdOf(event.source), user };
    // Everything about one event, the dedupe claim too, under its own catch: the events after it
    // in the batch (the same chat's wait for it) are answered whatever this one does.
    try {
      if (event.webhookEventId && !(await state.claimOnce(`line:event:${event.webhookEventId}`, DEDUPE_TTL_MS))) {
        logger.info('LINE duplicate event skipped', { event: event.type, redelivery: event.deliveryContext?.isRedelivery, user });
        return;
      }
      await dispatch(event, dest, context);
    } catch (error) {
      const text = onError(error, { event: event.type, user });
      if (text) await sender.send(dest, [textMessage(text)]).catch((e: unknown) => onError(e, { event: event.type, user }));
    }
  };
}
