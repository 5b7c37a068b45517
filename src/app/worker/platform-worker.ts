/**
 * The platform calls' thread: the HTTP of every LINE, Slack and model call the answer workers
 * make (src/channels/thread-fetch.ts), so that the answer workers' CPU goes to answering. The
 * pool hands it one MessagePort per answer worker; it holds no state of its own.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { servePlatformCalls } from '../../channels/thread-fetch.js';
import { preloadRequestFetch } from '../../channels/request-fetch.js';

export type ToPlatformWorker = { type: 'serve'; port: MessagePort };

parentPort!.on('message', (message: ToPlatformWorker) => servePlatformCalls(message.port));
preloadRequestFetch();
