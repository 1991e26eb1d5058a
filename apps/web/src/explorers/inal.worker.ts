/** The INAL explorer's module worker: INAL at each n on the chosen backend, one point at a time. */
import { measureInalSeries } from './inal-series.js';
import type { InalPoint, InalRequest } from './inal-series.js';
import { serveJob } from './worker-protocol.js';

serveJob<InalRequest, InalPoint>(async (request, post, signal) => {
  await measureInalSeries(request, post, signal);
});
