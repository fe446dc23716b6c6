/** Settings → Your data: download everything Rapport holds about me, as JSON or as CSV files in a zip. */
import { EXPORT_JSON_URL, EXPORT_ZIP_URL } from '../../api/account.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { SettingsLayout } from './settings-layout.js';

const SECTIONS = [
  'Your account and profile, experience and education',
  'Your connections',
  'Invitations you sent (pending, accepted, withdrawn or expired) and received (with your inbox or archive folder)',
  'Your messages',
  'Your notifications and email preferences',
  'Your API tokens (names and prefixes, never the secrets) and sessions',
];

export function DataPage() {
  usePageTitle('Your data');
  return (
    <SettingsLayout current="data">
      <section className="card section" aria-labelledby="data-title">
        <p className="eyebrow">Settings</p>
        <PageHeading id="data-title">Download your data</PageHeading>
        <p>A copy of what Rapport holds about you, made when you click. It includes:</p>
        <ul className="plain-list">
          {SECTIONS.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        <div className="download-actions">
          <a className="button button-primary" href={EXPORT_ZIP_URL} download>
            Download CSV files (.zip)
          </a>
          <a className="button button-secondary" href={EXPORT_JSON_URL} download>
            Download JSON
          </a>
        </div>
        <p className="muted">
          The zip holds one spreadsheet file per section, like LinkedIn’s export; JSON is one file for programs. Both contain your messages and contacts: keep them
          somewhere safe.
        </p>
      </section>
    </SettingsLayout>
  );
}
