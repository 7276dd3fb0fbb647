/** 住民検索 and the resident's screen: what the rest of the renderer may use. */
export { SearchScreen } from './SearchScreen';
export { ResidentDetailScreen } from './ResidentDetailScreen';
/** 業務終了 and the end of a session leave no search behind. */
export { clearSearch } from './searchStore';
