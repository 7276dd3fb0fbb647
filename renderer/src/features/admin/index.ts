/** システム管理 (職員・権限・認証器・名簿・権限点検表): what the rest of the renderer may use. */
export { AdminScreen } from './AdminScreen';
