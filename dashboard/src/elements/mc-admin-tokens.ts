import { LitElement, html, nothing } from 'lit';
import type { TokenReceipt, TokenRequest, TokenView } from '../../../server/client/views.ts';
import { ActionController } from '../controllers/action-controller.ts';
import type { AdminView } from '../state/admin.ts';
import { adminStyles, badge, cells, table } from './mc-admin-parts.ts';
import type { McConfirmDialog } from './mc-confirm-dialog.ts';
import './mc-confirm-dialog.ts';
import { shared } from './styles.ts';
import { when } from './when.ts';

const roles = ['operator', 'viewer', 'admin', 'agent', 'coder', 'runner', 'healer'];
const fields = [
  ['name', 'Name', ''],
  ['person', 'Person', "from the config's people"],
  ['projectId', 'Project', 'all'],
  ['agentId', 'Agent id', 'agent tokens only'],
] as const;

/** Tokens: the list (revoked ones on request), minting one (its secret shown once), revoking one after a confirmation. */
export class McAdminTokens extends LitElement {
  static override styles = [shared, adminStyles];
  static override properties = {
    admin: { attribute: false },
    tokens: { attribute: false },
    canAct: { type: Boolean },
    selfTokenId: {},
    showRevoked: { state: true },
    minted: { state: true },
    revoking: { state: true },
  };
  declare admin: AdminView | undefined;
  declare tokens: TokenView[];
  declare canAct: boolean;
  /** The signed-in token: not offered for revoking, which would sign this page out. */
  declare selfTokenId: string;
  declare showRevoked: boolean;
  /** The token just minted: its secret is kept here only, and forgotten on Done. */
  declare minted: TokenReceipt | undefined;
  declare revoking: TokenView | undefined;
  readonly #action = new ActionController(this);

  override render() {
    const now = Date.now();
    const m = this.minted;
    return html`${this.canAct
        ? html`<form class="row" data-testid="mint-form" aria-label="Mint a token" @submit=${this.#mint}>
            <label>Role <select name="role" data-testid="mint-role">${roles.map((r) => html`<option>${r}</option>`)}</select></label>
            ${fields.map(([name, label, hint]) => html`<label>${label} <input name=${name} data-testid="mint-${name}" autocomplete="off" placeholder=${hint} /></label>`)}
            <button class="primary" data-testid="mint-submit">Mint token</button>
          </form>`
        : nothing}
      ${m
        ? html`<div class="secret row" role="status" data-testid="mint-result">
            <span>Token <b>${m.name ?? m.id}</b> (${m.role}): copy its secret now, it is shown this once.</span>
            <code data-testid="mint-secret">${m.token}</code>
            <button data-testid="mint-copy" @click=${this.#copy}>Copy</button>
            <button data-testid="mint-done" @click=${() => (this.minted = undefined)}>Done</button>
          </div>`
        : nothing}
      ${this.#action.error ? html`<p class="error" role="alert" data-testid="token-error">${this.#action.error}</p>` : nothing}
      <label class="row"><input type="checkbox" data-testid="tokens-show-revoked" @change=${(e: Event) => (this.showRevoked = (e.target as HTMLInputElement).checked)} /> Show revoked</label>
      ${table(
        ['Name', 'Role', 'State', 'Actions', 'Person', 'Project', 'Created', 'Last used'],
        this.tokens
          .filter((t) => this.showRevoked || !t.revokedAt)
          .map(
            (t) =>
              html`<tr data-testid="token-row" data-token-id=${t.id}>${cells([
                html`${t.name ?? t.agentId ?? '–'} <span class="mono muted">${t.id}</span>`,
                t.role,
                t.revokedAt ? badge('revoked', 'bad') : t.expiresAt && Date.parse(t.expiresAt) < now ? badge('expired', 'warn') : badge('active', 'ok'),
                t.id === this.selfTokenId
                  ? html`<span class="muted">this session</span>`
                  : this.canAct && !t.revokedAt
                    ? html`<button class="danger" data-testid="token-revoke" @click=${() => this.#ask(t)}>Revoke</button>`
                    : '',
                t.person ?? '–',
                t.projectId ?? 'all',
                when(t.createdAt, now),
                when(t.lastUsedAt, now),
              ])}</tr>`,
          ),
        'tokens-list',
      )}
      <mc-confirm-dialog heading="Revoke this token?" confirmLabel="Revoke" testid="token-revoke-dialog" @confirm=${this.#revoke}>
        <p>${this.revoking?.name ?? this.revoking?.id} (${this.revoking?.role}) stops working on every hub at once. This cannot be undone.</p>
      </mc-confirm-dialog>`;
  }

  readonly #mint = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const request = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
    await this.#action.run(async () => {
      this.minted = await this.admin?.mint(request as unknown as TokenRequest);
      form.reset();
    });
  };

  readonly #copy = async (e: Event) => {
    const button = e.target as HTMLButtonElement;
    try {
      await navigator.clipboard.writeText(this.minted?.token ?? '');
      button.textContent = 'Copied';
    } catch {
      // No clipboard here (an insecure origin, a refusal): the secret is selected for a manual copy.
      getSelection()?.selectAllChildren(this.renderRoot.querySelector('code')!);
      button.textContent = 'Selected';
    }
  };

  #ask(token: TokenView): void {
    this.revoking = token;
    this.renderRoot.querySelector<McConfirmDialog>('mc-confirm-dialog')?.open();
  }

  readonly #revoke = () => {
    const token = this.revoking;
    if (token) void this.#action.run(async () => this.admin?.revoke(token.id));
  };
}

customElements.define('mc-admin-tokens', McAdminTokens);
