import { HubClient } from '../../server/client/hub-client.ts';
import type { AdminHub } from './state/admin.ts';
import { type AlertSettings, parseAlertSettings } from './state/decision-alerts.ts';
import { type InboxGrouping, rememberedGrouping } from './state/inbox-triage.ts';
import { Mission } from './state/mission.ts';
import { Session, splitStartupHash } from './state/session.ts';
import { Store } from './state/store.ts';

// The dashboard's composition root: the only module that reaches for the browser's globals.

/** The session, checking tokens against this page's own hub. */
export function createSession(): Session {
  return new Session(sessionStorage, (token) => hubFor(token).whoami());
}

const projectKey = 'mission-control.project';

/** A signed-in dashboard for `token`, with the one EventSource of the app, showing the project last chosen in this browser. */
export function createMission(token: string): Mission {
  const remembered = localStorage.getItem(projectKey);
  const mission = new Mission({
    hub: hubFor(token),
    // Unnamed frames: every type, custom ones included, arrives on `onmessage`.
    streamUrl: (after, project) =>
      `/events?access_token=${encodeURIComponent(token)}&after=${after}&eventNames=off${project === undefined ? '' : `&project=${encodeURIComponent(project)}`}`,
    openSource: (url) => new EventSource(url),
    ...(remembered ? { project: remembered } : {}),
  });
  mission.state.subscribe((state) => {
    if (!state.loaded) return;
    if (state.project === undefined) localStorage.removeItem(projectKey);
    else localStorage.setItem(projectKey, state.project);
  });
  return mission;
}

const alertsKey = 'mission-control.alerts';

/** The operator's alert settings (notify, least risk, sound), kept in this browser across tabs and visits. */
export function createAlertSettings(): Store<AlertSettings> {
  const settings = new Store(parseAlertSettings(localStorage.getItem(alertsKey)));
  settings.subscribe((value) => localStorage.setItem(alertsKey, JSON.stringify(value)));
  return settings;
}

/** How the operator groups the inbox (by nothing, agent or project), kept in this browser across tabs and visits. */
export function createInboxGrouping(): Store<InboxGrouping> {
  return rememberedGrouping(localStorage);
}

/** The admin view's calls (tokens, people, webhooks, runners, policies) with an admin's token. */
export function createAdminHub(token: string): AdminHub {
  return hubFor(token);
}

/** The token of a start-up URL (`#token=...`), taken out of the address bar so it is neither bookmarked nor shared. */
export function takeStartupToken(): string | undefined {
  const { token, rest } = splitStartupHash(location.hash);
  if (rest !== location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${rest}`);
  return token;
}

/** The one client, with `token`, for this page's own hub; a request is tried three times at most, so a person hears of a failure soon. */
function hubFor(token: string): HubClient {
  return new HubClient({ url: location.origin, token, retry: { attempts: 3 } });
}
