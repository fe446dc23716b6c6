/**
 * Status messages ("Profile saved.") in one polite live region, always in the page so screen readers
 * hear every change. A notice belongs to the page it was raised for and clears when the member moves on.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from './router.js';

type Tone = 'success' | 'info';

interface Notice {
  text: string;
  /** The pathname the notice is shown on; the destination, when navigating right after a success. */
  path: string;
  tone: Tone;
}

type Announce = (text: string, opts?: { path?: string; tone?: Tone }) => void;

interface NoticeApi {
  announce: Announce;
  visible: Notice | undefined;
  dismiss(): void;
}

const NoticeContext = createContext<NoticeApi | undefined>(undefined);

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice | undefined>();
  const { pathname } = useLocation();
  const announce = useCallback<Announce>((text, opts = {}) => {
    setNotice({ text, path: opts.path ?? window.location.pathname, tone: opts.tone ?? 'success' });
  }, []);
  const dismiss = useCallback(() => setNotice(undefined), []);
  const visible = notice && notice.path === pathname ? notice : undefined;
  const value = useMemo(() => ({ announce, visible, dismiss }), [announce, visible, dismiss]);
  return <NoticeContext.Provider value={value}>{children}</NoticeContext.Provider>;
}

function useNoticeApi(): NoticeApi {
  const api = useContext(NoticeContext);
  if (!api) throw new Error('notices used outside NoticeProvider');
  return api;
}

export function useNotice(): Announce {
  return useNoticeApi().announce;
}

export function NoticeRegion() {
  const { visible, dismiss } = useNoticeApi();
  return (
    <div className="notice-region" role="status" aria-live="polite">
      {visible && (
        // Info notices narrate what a sighted person already sees change ("Added TypeScript."): heard, not shown.
        <div className={visible.tone === 'info' ? 'visually-hidden' : 'notice notice-success'}>
          <span>{visible.text}</span>
          <button type="button" className="notice-close" aria-label="Dismiss message" onClick={dismiss}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
