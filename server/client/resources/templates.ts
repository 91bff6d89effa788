import type { TemplateView } from '../views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** The templates agents are spawned from (admin and operator). */
export class Templates extends HubResource {
  /** Every configured template, by name. */
  async list(options: CallOptions = {}): Promise<TemplateView[]> {
    return (await this.send<{ templates: TemplateView[] }>({ method: 'GET', path: '/templates', idempotent: true }, options)).templates;
  }
}
