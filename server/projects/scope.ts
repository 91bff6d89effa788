import type { Principal } from '../auth/roles.ts';
import { HubError } from '../errors.ts';

// A token scoped to one project sees and acts only there: lists are narrowed to it, a thing of
// another project is as if it did not exist (404), and what spans projects is refused (403).

/** The project a list is narrowed to: the token's own when it is scoped (another asked is a 403), else the one asked. */
export function listedProject(principal: Principal, asked: string | undefined): string | undefined {
  if (principal.projectId === null) return asked;
  if (asked !== undefined && asked !== principal.projectId) throw new HubError('forbidden', `a token of project "${principal.projectId}" sees only that project, not "${asked}"`);
  return principal.projectId;
}

/** True when the token may see and act on a thing of `projectId`. */
export function inScope(principal: Principal, projectId: string): boolean {
  return principal.projectId === null || principal.projectId === projectId;
}

/** Throws `missing` (the route's own 404) when a thing of `projectId` is outside the token's project. */
export function requireInScope(principal: Principal, projectId: string, missing: () => HubError): void {
  if (!inScope(principal, projectId)) throw missing();
}

/** A 403 for what spans projects, to a scoped token. */
export function refuseScoped(principal: Principal, what: string): void {
  if (principal.projectId !== null) throw new HubError('forbidden', `a token of project "${principal.projectId}" may not ${what}: it spans every project`);
}
