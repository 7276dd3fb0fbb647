/** ログイン and 画面ロック: what the rest of the renderer may use. */
export { LoginScreen } from './LoginScreen';
export { LockScreen } from './LockScreen';
