import type { Feature } from '../feature.ts';
import { overviewRoutes } from './routes.ts';

/** The overview: a read of the views and the log's last hour for the dashboard's landing view; no view of its own. */
export const overviewFeature: Feature = (deps) => ({ routes: { '/overview': overviewRoutes(deps) } });
