import { agentsFeature } from './agents/feature.ts';
import { budgetFeature } from './budget/feature.ts';
import { briefFeature } from './brief/feature.ts';
import { codingAgentsFeature } from './coding-agents/feature.ts';
import { decisionsFeature } from './decisions/feature.ts';
import type { Feature } from './feature.ts';
import { healerCallbacksFeature } from './healer-callbacks/feature.ts';
import { notificationsFeature } from './notifications/feature.ts';
import { overviewFeature } from './overview/feature.ts';
import { policiesFeature } from './policies/feature.ts';
import { projectsFeature } from './projects/feature.ts';
import { retentionFeature } from './retention/feature.ts';
import { runnersFeature } from './runners/feature.ts';
import { workspacesFeature } from './workspaces/feature.ts';
import { spawnFeature } from './spawn/feature.ts';
import { subscriptionsFeature } from './subscriptions/feature.ts';
import { tasksFeature } from './tasks/feature.ts';

/** The views the hub keeps, in the order their projections see each event. A new view is one more line. */
export const features: readonly Feature[] = [agentsFeature, tasksFeature, decisionsFeature, budgetFeature, spawnFeature, runnersFeature, workspacesFeature, projectsFeature, policiesFeature, codingAgentsFeature, healerCallbacksFeature, notificationsFeature, subscriptionsFeature, overviewFeature, briefFeature, retentionFeature];
