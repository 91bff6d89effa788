// The hub's shapes as the dashboard reads them (contracts/openapi.yaml), from the one client the
// dashboard shares with the CLI, the healer and agents.
import type { ResolveOptions } from '../../../server/client/resources/decisions.ts';

export type { AgentStatus, AgentView, DecisionStatus, DecisionView, EventEnvelope, ProjectView, Risk, SpawnReceipt, SpawnRequest, TemplateView as AgentTemplate } from '../../../server/client/views.ts';
export { type ActorView, type TaskView, type WhoAmI as Whoami, taskBoardOrder } from '../../../contracts/views.ts';
export type { Role, TaskStatus } from '../../../contracts/vocabulary.ts';
export type { Overview, OverviewAgent, OverviewFailure, OverviewHeal } from '../../../server/client/views.ts';

/** Whom an approval of a tool call allows the same call from now on. */
export type AllowScope = NonNullable<ResolveOptions['allowFromNow']>;
