import type { HttpBindings } from '@hono/node-server';
import type { Origin } from '../../contracts/index.ts';
import type { Principal } from '../auth/roles.ts';

/** What every hub route sees: the Node request/response, and what the middleware learnt. */
export interface HubEnv {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    origin: Origin;
    /** Unset on public routes called without a token. */
    principal?: Principal;
  };
}
