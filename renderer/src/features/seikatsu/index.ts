/** 生活保護 医療扶助・介護扶助 (issue 17): the resident screen's section, a flow, the work lists, the 要否意見書. */
export { SeikatsuSection } from './SeikatsuSection';
export { FujoScreen } from './FujoScreen';
export { FujoQueueScreen, type FujoQueue } from './FujoQueueScreen';
export { OpinionFormScreen } from './OpinionFormScreen';
export { TicketRunScreen } from './TicketRunScreen';
