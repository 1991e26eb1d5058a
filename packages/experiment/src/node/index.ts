export { checkpointPathFor, fileSink, readCheckpointFor, readRecordFile, truncateRecordAfter } from './file-sink.js';
export { lockRecord } from './record-lock.js';
