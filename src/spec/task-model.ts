import type { Claim, Source } from './model.ts';

// The task API beyond create: its operations (poll, result, cancel) and a task's lifecycle (x-conformance operations,
// lifecycle).

/** A named operation of the task API. `urlFrom` points into the create response at the operation's absolute URL. */
export interface TaskOperationDecl {
  operationId: string;
  inferred?: boolean;
  taskId: { in: 'path' | 'query'; name: string };
  /** HTTP statuses that mean success (default [200]) */
  success?: number[];
  urlFrom?: string;
  source?: Source;
}

export type TaskOperationName = 'poll' | 'result' | 'cancel';

export interface Lifecycle {
  idPointer: string;
  /** where the id may be when idPointer is empty (the JSON-Schema gateway's id and task_id: prefer id) */
  idFallbackPointers?: string[];
  statusPointer: string;
  createStatusPointer?: string;
  /** where the status may be when its pointer is empty (the JSON-Schema gateway's task_status, the upstream's name) */
  statusFallbackPointers?: string[];
  statuses: Record<string, { schema: string }>;
  /** further documented words and the phase each stands for (default initial), e.g. upstream's legacy `succeed` */
  extraStatuses?: (Claim<string> & { phase?: 'initial' | 'running' | 'succeeded' | 'failed' })[];
  initial: string;
  running: string;
  succeeded: string;
  /** absent where no failed status word is documented (fal: a failed request still reads COMPLETED) */
  failed?: string;
  resultUrlPointer: string;
  /** which operation's body carries the result URL (default poll) */
  resultFrom?: 'poll' | 'result';
  inferred?: boolean;
  source: Source;
  malformedId?: { status: number; code: string; source: Source };
}
