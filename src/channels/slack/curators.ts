/**
 * Who may write curated answers from Slack: SLACK_CURATORS lists user ids (U…, W…) and usergroup
 * ids (S…). A usergroup's members come from `usergroups.users.list` (scope `usergroups:read`:
 * https://docs.slack.dev/reference/methods/usergroups.users.list), kept a minute so that a busy
 * modal does not ask on every click, yet a member removed from the group loses the right soon.
 * With no list, everyone in the workspace may curate.
 */
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../logger.js';
import { callSlack } from './web-api-errors.js';

/** How long a usergroup's members are trusted before asking Slack again. */
export const USERGROUP_CACHE_MS = 60_000;

export interface CuratorCheckOptions {
  /** SLACK_CURATORS: user and usergroup ids; empty lets everyone curate. */
  curators: readonly string[];
  logger: Logger;
  /** @default USERGROUP_CACHE_MS */
  cacheMs?: number;
}

/** Resolves whether `userId` may curate; asks Slack (with the listener's client) for usergroups. */
export type IsCuratorFn = (userId: string, client: webApi.WebClient) => Promise<boolean>;

export function createCuratorCheck(options: CuratorCheckOptions): IsCuratorFn {
  const users = new Set(options.curators.filter((id) => !id.startsWith('S')));
  const groups = options.curators.filter((id) => id.startsWith('S'));
  if (options.curators.length === 0) return async () => true;

  // fetch() shares one call among the clicks that arrive while it is under way.
  const members = new LRUCache<string, Set<string>, webApi.WebClient>({
    max: 100,
    ttl: options.cacheMs ?? USERGROUP_CACHE_MS,
    fetchMethod: async (usergroup, _stale, { context: client }) => {
      const result = await callSlack(options.logger, 'usergroups.users.list', () => client.usergroups.users.list({ usergroup }));
      // A missing scope or a deleted group admits no one; the failure is logged once a minute, not cached for good.
      return new Set(result.ok ? (result.value.users ?? []) : []);
    },
  });

  return async (userId, client) => {
    if (users.has(userId)) return true;
    for (const group of groups) {
      if ((await members.fetch(group, { context: client }))?.has(userId)) return true;
    }
    return false;
  };
}
