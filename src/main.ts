/** `npm start`: the server as src/app composes it; a start-up error (bad configuration, say) is one line. */
import { startServer } from './app/start.js';
import { isBotError } from './errors.js';

startServer().catch((error: unknown) => {
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  process.exit(1);
});
