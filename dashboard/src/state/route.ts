/** The dashboard's views; the address is a hash (`#/inbox/dec_...`), so the hub serves one page. */
export const views = ['overview', 'feed', 'agents', 'tasks', 'inbox', 'healer', 'brief', 'admin'] as const;
export type View = (typeof views)[number];

export interface Route {
  view: View;
  /** What the view should show first: a decision in the inbox, an agent, a task, a section of the admin view. */
  id?: string;
}

export const viewLabels: Readonly<Record<View, string>> = { overview: 'Overview', feed: 'Feed', agents: 'Agents', tasks: 'Tasks', inbox: 'Inbox', healer: 'Healer', brief: 'Brief', admin: 'Admin' };

/** The route of a hash; the overview (the landing view) for anything it does not name. */
export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  if (!(views as readonly string[]).includes(view ?? '')) return { view: 'overview' };
  return id ? { view: view as View, id: decodeURIComponent(id) } : { view: view as View };
}

/** Views only admins are offered: no nav entry for anyone else, and the view says so. */
export const adminViews: ReadonlySet<View> = new Set(['admin']);

export function routeHash(route: Route): string {
  return `#/${route.view}${route.id ? `/${encodeURIComponent(route.id)}` : ''}`;
}
