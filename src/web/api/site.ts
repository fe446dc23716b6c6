/**
 * What this server is (GET /api/site), asked once per page load and shared: the footer's local mail
 * link and the login page's demo login read it. Until it answers, neither shows; if it fails, neither
 * does (both are conveniences, never needed to use Rapport).
 */
import { useEffect, useState } from 'react';
import { site, type Site } from './endpoints.js';

let asked: Promise<Site | undefined> | undefined;

function load(): Promise<Site | undefined> {
  asked ??= site.get().catch(() => undefined);
  return asked;
}

export function useSite(): Site | undefined {
  const [value, setValue] = useState<Site | undefined>();
  useEffect(() => {
    let live = true;
    void load().then((s) => live && setValue(s));
    return () => {
      live = false;
    };
  }, []);
  return value;
}
