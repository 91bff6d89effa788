// The hub's shapes as the dashboard reads them (contracts/openapi.yaml). The agent and decision
// views and the envelope come from the one client the dashboard shares with the CLI and agents.
export type { AgentStatus, AgentView, DecisionStatus, DecisionView, EventEnvelope, Risk } from '../../../server/client/views.ts';
export { type ActorView, type TaskView, type WhoAmI as Whoami, taskBoardOrder } from '../../../contracts/views.ts';
export type { Role, TaskStatus } from '../../../contracts/vocabulary.ts';

/** One entry of `GET /templates`. */
export interface AgentTemplate {
  name: string;
  description: string | null;
}

/** What `POST /spawn` takes from the form. */
export interface SpawnRequest {
  template: string;
  name?: string;
  input?: unknown;
}
