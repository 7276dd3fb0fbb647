/** 承認待ち (所属長): the requests naming the logged-in 所属長 and their confirmation with the authenticator. */
export { ApprovalsScreen } from './ApprovalsScreen';
