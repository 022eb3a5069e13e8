// What a case's Update answers: a small acknowledgement, not the whole case (a history holds every
// Update's result; readers read the read model, which the handler published before answering).
export interface Ack {
  caseId: string;
  status: string;
  version: number;
}

export function ackOf(state: { caseId: string; status: string; version: number }): Ack {
  return { caseId: state.caseId, status: state.status, version: state.version };
}
