import { html } from 'lit';
import { routeHash } from '../state/route.ts';
import type { AgentView } from '../state/types.ts';

/** An agent by its name, linked to its page (`#/agents/<id>`); by its id while the view does not know it. */
export function agentLink(agents: ReadonlyMap<string, AgentView> | undefined, id: string, testId = 'agent-link') {
  return html`<a data-testid=${testId} href=${routeHash({ view: 'agents', id })}>${agents?.get(id)?.name ?? id}</a>`;
}
