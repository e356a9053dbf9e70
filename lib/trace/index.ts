export { trace, replyQuery, normalizeQuery, vxlanSourcePort } from './engine.ts';
export { formatTrace } from './format.ts';
export { learnedStateRefusal, noteTraffic } from './traffic-seen.ts';
export { describeHeader, headerSize, stackSize, type Header } from './headers.ts';
export { isStep, stepsOf, TraceError, type Trace, type TraceQuery, type Step, type StepOf, type StepDetails, type StepType, type Disposition, type Proto } from './types.ts';
export { senderParticipants, senderTimeline, type Participant, type Role } from './participants.ts';
