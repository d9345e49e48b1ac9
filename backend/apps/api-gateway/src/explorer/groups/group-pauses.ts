/**
 * Whether a group's consumers are paused by the explorer (through the control topic every service
 * follows; GroupControl knows). An interface of its own, so the groups view needs nothing else.
 */
export interface GroupPauses {
  isPaused(groupId: string): boolean;
}

export const GROUP_PAUSES = Symbol('GroupPauses');
