// The stored response: what other features import of it comes from here.
export { segmentSchema, segmentUnits, unitKey, safeKey, LEVELS, UNIVERSITY_UNIT, type Segment, type SegmentUnit, type Level } from './segment.js';
export type { StoredAnswer, StoredAnswers } from './answers.js';
export { responsesCollection, responsesCollectionName, responseIdFor, responseExists, eachResponse, type ResponseDoc } from './store.js';
