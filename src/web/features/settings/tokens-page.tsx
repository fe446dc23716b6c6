/**
 * Settings → API tokens. A token's secret exists in the browser only between "Create" and "Done":
 * the server keeps a hash, so this is the one chance to copy it.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiTokenCreateBody, type ApiToken } from '../../../contracts/auth.js';
import { ApiError } from '../../api/client.js';
import { tokens, type ApiTokenCreated } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { useAction, useSubmit } from '../../api/use-submit.js';
import { SubmitButton, TextField } from '../../components/field.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link } from '../../components/router.js';
import { EmptyState, ErrorLine, ErrorState, FormAlert, Loading } from '../../components/states.js';
import { SettingsLayout } from './settings-layout.js';

type List =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; items: ApiToken[]; nextCursor: string | null; moreError?: unknown; loadingMore?: boolean };

const dateFormat = new Intl.DateTimeFormat([], { dateStyle: 'medium' });
const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export function TokensPage() {
  usePageTitle('API tokens');
  const announce = useNotice();
  const [list, setList] = useState<List>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [created, setCreated] = useState<ApiTokenCreated>();
  const listHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    tokens.list().then(
      (page) => live && setList({ status: 'ready', items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => live && setList({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const onCreated = (result: ApiTokenCreated) => {
    setCreated(result);
    setList((l) => (l.status === 'ready' ? { ...l, items: [result.token, ...l.items] } : l));
  };
  const onRevoked = (token: ApiToken) => {
    setList((l) => (l.status === 'ready' ? { ...l, items: l.items.filter((t) => t.id !== token.id) } : l));
    if (created?.token.id === token.id) setCreated(undefined);
    announce(`Token “${token.name}” revoked. Scripts using it can no longer call the API.`);
    listHeading.current?.focus();
  };
  async function loadMore() {
    if (list.status !== 'ready' || !list.nextCursor) return;
    const before = list;
    setList({ ...before, loadingMore: true });
    try {
      const page = await tokens.list(before.nextCursor ?? undefined);
      setList({ status: 'ready', items: [...before.items, ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setList({ ...before, loadingMore: false, moreError: error });
    }
  }

  return (
    <SettingsLayout current="tokens">
      <section className="card section" aria-labelledby="tokens-title">
        <p className="eyebrow">Settings</p>
        <PageHeading id="tokens-title">API tokens</PageHeading>
        <p className="muted">
          Tokens let your scripts and tools use the Rapport API as you. Send one as <code>Authorization: Bearer &lt;token&gt;</code>. Read the{' '}
          <a href="/api/docs">API documentation</a>. Choose which emails you get in <Link href="/settings/email">email preferences</Link>.
        </p>
        {created ? <NewSecret created={created} onDone={() => setCreated(undefined)} /> : <CreateTokenForm onCreated={onCreated} />}
      </section>

      <section className="card section" aria-labelledby="token-list-title">
        <h2 id="token-list-title" ref={listHeading} tabIndex={-1}>
          Your tokens
        </h2>
        {list.status === 'loading' && <Loading label="Loading your tokens…" />}
        {list.status === 'error' && <ErrorState title="We could not load your tokens" error={list.error} onRetry={() => setAttempt((n) => n + 1)} />}
        {list.status === 'ready' &&
          (list.items.length === 0 ? (
            <EmptyState title="No tokens yet">
              <p>Create one above when a script or tool needs to reach Rapport.</p>
            </EmptyState>
          ) : (
            <ul className="tokens">
              {list.items.map((t) => (
                <TokenRow key={t.id} token={t} onRevoked={onRevoked} />
              ))}
            </ul>
          ))}
        {list.status === 'ready' && list.moreError !== undefined && <ErrorLine message={friendlyMessage(list.moreError)} />}
        {list.status === 'ready' && list.nextCursor && (
          <div className="load-more">
            <button type="button" className="button button-secondary" onClick={loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </section>
    </SettingsLayout>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: ApiTokenCreated) => void }) {
  const [name, setName] = useState('');
  const { errors, alert, busy, submit } = useSubmit(ApiTokenCreateBody, () => ({ name }), async (data) => onCreated(await tokens.create(data)));

  return (
    <form onSubmit={submit} noValidate className="create-token">
      <h2>Create a token</h2>
      <FormAlert message={alert} />
      <div className="inline-form">
        <TextField
          label="Token name"
          name="name"
          hint="Say what will use it, like “CRM sync”."
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          className="grow"
          autoComplete="off"
        />
        <SubmitButton busy={busy} busyLabel="Creating…">Create token</SubmitButton>
      </div>
    </form>
  );
}

function NewSecret({ created, onDone }: { created: ApiTokenCreated; onDone: () => void }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  return (
    <div className="secret" ref={box} tabIndex={-1} role="region" aria-labelledby="secret-title">
      <h2 id="secret-title">Copy your new token “{created.token.name}”</h2>
      <p>This is the only time it is shown. Store it somewhere safe, like a password manager.</p>
      <div className="inline-form">
        <div className="field grow">
          <label htmlFor="token-secret" className="visually-hidden">
            Token secret
          </label>
          <input id="token-secret" className="mono" readOnly value={created.secret} onFocus={(e) => e.target.select()} />
        </div>
        <button type="button" className="button button-primary" onClick={copySecret}>
          Copy
        </button>
      </div>
      <p className="copy-status" role="status">
        {copy === 'copied' ? 'Copied to the clipboard.' : copy === 'failed' ? 'Copying was blocked. Select the token and copy it yourself.' : ''}
      </p>
      <button type="button" className="button button-secondary" onClick={onDone}>
        Done, I have copied it
      </button>
    </div>
  );
}

function TokenRow({ token, onRevoked }: { token: ApiToken; onRevoked: (token: ApiToken) => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction({ keepBusy: true });
  const confirmButton = useRef<HTMLButtonElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  // A revoked token leaves the list: the row stays busy until it goes.
  const revoke = () =>
    run(async () => {
      await tokens.revoke(token.id).catch((e: unknown) => {
        // Already gone is what the member wanted.
        if (!(e instanceof ApiError && e.code === 'TokenNotFound')) throw e;
      });
      onRevoked(token);
    });

  const cancel = () => {
    setConfirming(false);
    requestAnimationFrame(() => revokeButton.current?.focus());
  };

  return (
    <li className="token">
      <div className="token-info">
        <h3>{token.name}</h3>
        <p className="muted">
          <span className="mono">{token.prefix}…</span> · Created {formatDate(token.createdAt)} · {token.lastUsedAt ? `Last used ${formatDate(token.lastUsedAt)}` : 'Never used'}
        </p>
        <ErrorLine message={error} />
      </div>
      {confirming ? (
        <div className="confirm" role="group" aria-label={`Confirm revoking ${token.name}`}>
          <p>Revoke “{token.name}”? Anything using it stops working at once.</p>
          <div className="confirm-actions">
            <button type="button" ref={confirmButton} className="button button-danger" onClick={revoke} disabled={busy}>
              {busy ? 'Revoking…' : 'Revoke token'}
            </button>
            <button type="button" className="button button-secondary" onClick={cancel} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" ref={revokeButton} className="button button-danger-text" onClick={() => setConfirming(true)}>
          Revoke<span className="visually-hidden"> {token.name}</span>
        </button>
      )}
    </li>
  );
}
