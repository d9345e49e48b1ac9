/** DESIGN.md's processing modes; every service reads its mode from KAFKADOG_PROCESSING. */
export const PROCESSING_MODES = ['at-least-once', 'exactly-once'] as const;
export type ProcessingMode = (typeof PROCESSING_MODES)[number];
