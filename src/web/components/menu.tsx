/**
 * A menu button (WAI-ARIA APG "menu button"): the trigger says it opens a menu and whether it is
 * open; Enter, Space or ↓ open it on the first item, ↑ on the last; ↑ ↓ Home End move; Escape closes
 * and returns focus to the trigger; Tab or a click elsewhere closes. Choosing an item puts focus
 * back on the trigger first, so a dialog the item opens returns focus there too.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useOutsidePointer } from './outside-pointer.js';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  tone?: 'danger';
}

interface Props {
  /** Accessible name of the trigger, when its visible content is an icon or says less. */
  label?: string;
  /** What the trigger shows. */
  children: ReactNode;
  items: MenuItem[];
  className?: string;
  /** Which edge of the trigger the menu lines up with. */
  align?: 'start' | 'end';
}

export function MenuButton({ label, children, items, className = 'button button-secondary', align = 'end' }: Props) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [side, setSide] = useState(align);
  const wrapper = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();
  const last = items.length - 1;

  // On a narrow screen a menu lined up with one edge of its trigger can run off the screen: use the other edge.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const box = trigger.current?.getBoundingClientRect();
      const width = menu.current?.offsetWidth;
      if (!box || !width) return;
      const room = document.documentElement.clientWidth - 4;
      if (align === 'start') setSide(box.left + width <= room ? 'start' : 'end');
      else setSide(box.right - width >= 4 ? 'end' : 'start');
    };
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [open, align]);

  useEffect(() => {
    if (open) menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active]?.focus();
  }, [open, active]);

  useOutsidePointer(wrapper, open, () => setOpen(false));

  const openAt = (index: number) => {
    setActive(index);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  function onTriggerKey(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(event.key === 'ArrowDown' ? 0 : last);
    }
  }

  function onMenuKey(event: KeyboardEvent) {
    const moves: Record<string, number> = { ArrowDown: active === last ? 0 : active + 1, ArrowUp: active === 0 ? last : active - 1, Home: 0, End: last };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      setActive(to);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  function choose(item: MenuItem) {
    close();
    item.onSelect();
  }

  return (
    <div className="menu-wrap" ref={wrapper}>
      <button
        ref={trigger}
        id={`${id}-trigger`}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-label={label}
        onClick={() => (open ? setOpen(false) : openAt(0))}
        onKeyDown={onTriggerKey}
      >
        {children}
      </button>
      {open && (
        <ul role="menu" id={`${id}-menu`} aria-labelledby={`${id}-trigger`} className={`menu menu-${side}`} ref={menu} onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <li role="none" key={item.label}>
              <button
                type="button"
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                className={item.tone === 'danger' ? 'menu-item menu-item-danger' : 'menu-item'}
                onClick={() => choose(item)}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
