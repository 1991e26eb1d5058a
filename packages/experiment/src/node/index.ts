export { checkpointPathFor, fileSink, readCheckpointFor, readRecordFile } from './file-sink.js';
