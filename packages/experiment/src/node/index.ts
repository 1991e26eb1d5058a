export { checkpointPathFor, fileSink, readCheckpointFor, readRecordFile, truncateRecordAfter } from './file-sink.js';
