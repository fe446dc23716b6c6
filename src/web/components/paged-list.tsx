/** A keyset-paginated list as people see it: loading, a worded error, an empty state, rows, "Load more". */
import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { friendlyMessage } from '../api/messages.js';
import type { Pages, PagesApi } from '../api/use-pages.js';
import { ErrorLine, ErrorState, Loading } from './states.js';

interface Props<T> {
  pages: Pages<T>;
  api: PagesApi<T>;
  loading: string;
  errorTitle: string;
  /** Shown when the list is empty. */
  empty: ReactNode;
  className: string;
  label?: string;
  itemKey: (item: T) => string;
  /** One <li> per item. */
  render: (item: T) => ReactNode;
  moreLabel?: string;
}

export function PagedList<T>({ pages, api, loading, errorTitle, empty, className, label, itemKey, render, moreLabel = 'Load more' }: Props<T>) {
  const list = useRef<HTMLUListElement>(null);
  const firstNew = useRef<number | undefined>(undefined);
  const count = pages.status === 'ready' ? pages.items.length : 0;

  // After "Load more", focus the first new row's link so keyboard users continue where the list grew.
  useEffect(() => {
    if (firstNew.current === undefined || count <= firstNew.current) return;
    list.current?.children[firstNew.current]?.querySelector<HTMLElement>('a, button')?.focus();
    firstNew.current = undefined;
  }, [count]);

  // The list's place is held while it loads, so what follows it does not jump down when it arrives.
  if (pages.status === 'loading') {
    return (
      <div className="list-loading">
        <Loading label={loading} />
      </div>
    );
  }
  if (pages.status === 'error') {
    const badCursor = pages.error instanceof ApiError && pages.error.code === 'InvalidCursor';
    return <ErrorState title={errorTitle} error={pages.error} onRetry={badCursor ? undefined : api.reload} />;
  }
  if (pages.items.length === 0) return <>{empty}</>;
  const more = () => {
    firstNew.current = pages.items.length;
    void api.loadMore();
  };
  return (
    <>
      <ul className={className} ref={list} aria-label={label}>
        {pages.items.map((item) => (
          <Fragment key={itemKey(item)}>{render(item)}</Fragment>
        ))}
      </ul>
      {pages.more.error !== undefined && <ErrorLine message={friendlyMessage(pages.more.error)} />}
      {pages.nextCursor && (
        <div className="load-more">
          <button type="button" className="button button-secondary" onClick={more} disabled={pages.more.loading}>
            {pages.more.loading ? 'Loading…' : pages.more.error !== undefined ? 'Try loading more again' : moreLabel}
          </button>
        </div>
      )}
    </>
  );
}
