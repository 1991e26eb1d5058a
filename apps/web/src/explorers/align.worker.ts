/** The Align-vs-backprop explorer's module worker: both runs in lockstep, one update per evaluation. */
import { runSideBySide } from './align-vs-backprop.js';
import type { AlignRequest, AlignUpdate } from './align-vs-backprop.js';
import { serveJob } from './worker-protocol.js';

serveJob<AlignRequest, AlignUpdate>(async (request, post, signal) => {
  await runSideBySide(request, post, signal);
});
