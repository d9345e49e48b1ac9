/**
 * Whether a group's consumers are paused by the explorer. Pausing goes through Kafka (a control
 * topic every service follows) and is not built yet: until it is, no group is paused. A provider
 * of GROUP_PAUSES replaces the default in ExplorerModule.
 */
export interface GroupPauses {
  isPaused(groupId: string): boolean;
}

export const GROUP_PAUSES = Symbol('GroupPauses');

export const noPauses: GroupPauses = { isPaused: () => false };
