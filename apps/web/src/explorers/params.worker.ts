/** The parameter-count explorer's module worker: builds and initialises each model once, counts, frees. */
import { countsByDepth, countsByInputSize, paperScaleCounts } from './param-counts.js';
import type { ParamProgress, ParamRequest } from './param-counts.js';
import { serveJob } from './worker-protocol.js';

/** A macrotask turn between tables, so a `stop` message is seen. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

serveJob<ParamRequest, ParamProgress>(async (request, post, signal) => {
  post({ table: 'n', rows: countsByInputSize(request) });
  await turn();
  if (signal.aborted) return;
  post({ table: 'depth', rows: countsByDepth(request) });
  await turn();
  if (signal.aborted) return;
  post({ table: 'paper', counts: paperScaleCounts() });
});
