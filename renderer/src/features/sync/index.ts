/** 同期の状態 (counts, send errors, conflicts): what the rest of the renderer may use. */
export { SyncScreen } from './SyncScreen';
