import { useEffect, useRef, type ReactNode } from 'react';

/** Sets the tab title, so history entries and screen readers name the page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Rapport` : 'Rapport';
  }, [title]);
}

let firstPage = true;

/**
 * The page's <h1>. After an in-app navigation it takes focus, so keyboard and screen-reader users
 * start at the new page's heading instead of at the link they left behind.
 */
export function PageHeading({ children, className, id }: { children: ReactNode; className?: string; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={className} id={id}>
      {children}
    </h1>
  );
}
