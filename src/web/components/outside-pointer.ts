/** Closes a popup (a menu, the notifications panel) when the pointer goes down anywhere outside it. */
import { useEffect, type RefObject } from 'react';

export function useOutsidePointer(wrapper: RefObject<HTMLElement | null>, open: boolean, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (event.target instanceof Node && !wrapper.current?.contains(event.target)) close();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
    // `close` is a fresh closure each render: listen again only when the popup opens or closes.
  }, [open]);
}
