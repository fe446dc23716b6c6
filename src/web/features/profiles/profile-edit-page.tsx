import { useEffect, useMemo, useState } from 'react';
import { ProfileUpdate, type Profile } from '../../../contracts/profiles.js';
import { profiles } from '../../api/endpoints.js';
import { fieldErrorsOf, friendlyMessage, type FieldErrors } from '../../api/messages.js';
import { useResource } from '../../api/use-resource.js';
import { useSubmit } from '../../api/use-submit.js';
import { SelectField, SubmitButton, TextArea, TextField } from '../../components/field.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link, navigate } from '../../components/router.js';
import { ErrorState, FormAlert, Loading } from '../../components/states.js';
import { EntryListEditor, newKey, toYear, type Draft, type EntryField } from './entry-list-editor.js';
import { SkillsEditor } from './skills-editor.js';

type PositionKey = 'title' | 'company' | 'startYear' | 'endYear';
type EducationKey = 'school' | 'degree' | 'field' | 'startYear' | 'endYear';

const positionFields: Array<EntryField<PositionKey>> = [
  { name: 'title', label: 'Title', autoComplete: 'organization-title' },
  { name: 'company', label: 'Company', autoComplete: 'organization' },
  { name: 'startYear', label: 'Start year', year: true },
  { name: 'endYear', label: 'End year', year: true, hint: 'Leave empty if you still work here.' },
];
const educationFields: Array<EntryField<EducationKey>> = [
  { name: 'school', label: 'School', wide: true },
  { name: 'degree', label: 'Degree' },
  { name: 'field', label: 'Field of study' },
  { name: 'startYear', label: 'Start year', year: true },
  { name: 'endYear', label: 'End year', year: true, hint: 'Leave empty if you are still studying.' },
];

const yearText = (y: number | null) => (y === null ? '' : String(y));

interface Form {
  fullName: string;
  headline: string;
  currentTitle: string;
  currentCompany: string;
  industry: string;
  location: string;
  timeZone: string;
  about: string;
  skills: string[];
  positions: Array<Draft<PositionKey>>;
  educations: Array<Draft<EducationKey>>;
}

function toForm(p: Profile): Form {
  return {
    fullName: p.fullName,
    headline: p.headline,
    currentTitle: p.currentTitle,
    currentCompany: p.currentCompany,
    industry: p.industry,
    location: p.location,
    timeZone: p.timeZone,
    about: p.about,
    skills: p.skills,
    positions: p.positions.map((x) => ({ key: newKey(), title: x.title, company: x.company, startYear: yearText(x.startYear), endYear: yearText(x.endYear) })),
    educations: p.educations.map((x) => ({
      key: newKey(),
      school: x.school,
      degree: x.degree,
      field: x.field,
      startYear: yearText(x.startYear),
      endYear: yearText(x.endYear),
    })),
  };
}

function toUpdate(f: Form) {
  return {
    ...f,
    positions: f.positions.map((x) => ({ title: x.title, company: x.company, startYear: toYear(x.startYear, false), endYear: toYear(x.endYear, true) })),
    educations: f.educations.map((x) => ({ school: x.school, degree: x.degree, field: x.field, startYear: toYear(x.startYear, false), endYear: toYear(x.endYear, true) })),
  };
}

/** The alert over field errors, counting them when there are several; the first of them gets the focus. */
function attention(found: FieldErrors, message: string): string {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
  const count = Object.keys(found).length;
  return count > 1 ? `${message} ${count} fields need attention.` : message;
}

export function ProfileEditPage() {
  usePageTitle('Edit profile');
  const [resource, { reload }] = useResource('my-profile', profiles.mine);
  if (resource.status === 'loading') return <Loading label="Loading your profile…" />;
  if (resource.status === 'error') return <ErrorState page title="We could not load your profile" error={resource.error} onRetry={reload} />;
  return <ProfileForm profile={resource.data} />;
}

function ProfileForm({ profile }: { profile: Profile }) {
  const announce = useNotice();
  const [form, setForm] = useState<Form>(() => toForm(profile));
  const { errors, alert, busy, submit } = useSubmit(
    ProfileUpdate,
    () => toUpdate(form),
    async (data) => {
      await profiles.update(data);
      announce('Profile saved.', { path: '/profile' });
      navigate('/profile');
    },
    {
      invalid: (found) => attention(found, 'Some fields need attention.'),
      failed: (error) => ({ alert: attention(fieldErrorsOf(error), friendlyMessage(error)) }),
    },
  );
  const timeZones = useMemo(() => {
    // Older browsers lack the list; the member can still keep the zone they have.
    const all = 'supportedValuesOf' in Intl ? Intl.supportedValuesOf('timeZone') : ['UTC'];
    return all.includes(profile.timeZone) ? all : [profile.timeZone, ...all];
  }, [profile.timeZone]);

  // Arriving from "Edit experience" etc.: bring that part of the form into view.
  useEffect(() => {
    const part = window.location.hash.slice(1);
    if (part) document.getElementById(part)?.scrollIntoView();
  }, []);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: 'fullName' | 'headline' | 'currentTitle' | 'currentCompany' | 'industry' | 'location') => ({
    name: key,
    value: form[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
    error: errors[key],
  });
  const info = (message: string) => announce(message, { tone: 'info' });

  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="edit-title">
      <div className="page-head">
        <PageHeading id="edit-title">Edit profile</PageHeading>
        <p className="muted">Changes show on your profile once you save.</p>
      </div>
      <FormAlert message={alert} />

      <section className="card section" aria-labelledby="intro-title">
        <h2 id="intro-title">Intro</h2>
        <div className="grid">
          <TextField label="Full name" autoComplete="name" {...text('fullName')} className="span-2" />
          <TextField label="Headline" hint="A short line under your name, like “Head of Sales at Acme”." {...text('headline')} className="span-2" />
          <TextField label="Current title" autoComplete="organization-title" {...text('currentTitle')} />
          <TextField label="Current company" autoComplete="organization" {...text('currentCompany')} />
          <TextField label="Industry" {...text('industry')} />
          <TextField label="Location" hint="City and country." {...text('location')} />
          <SelectField label="Time zone" name="timeZone" value={form.timeZone} onChange={(e) => set('timeZone', e.target.value)} error={errors.timeZone} className="span-2">
            {timeZones.map((tz) => (
              <option key={tz} value={tz}>
                {tz.replaceAll('_', ' ')}
              </option>
            ))}
          </SelectField>
        </div>
      </section>

      <section className="card section" id="about" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <TextArea
          label="About you"
          name="about"
          rows={6}
          value={form.about}
          onChange={(e) => set('about', e.target.value)}
          error={errors.about}
          hint={`${form.about.length.toLocaleString()} of 2,600 characters.`}
        />
      </section>

      <EntryListEditor
        name="positions"
        id="experience"
        title="Experience"
        noun="experience"
        emptyText="Add the places you have worked, newest first."
        fields={positionFields}
        entries={form.positions}
        blank={() => ({ key: newKey(), title: '', company: '', startYear: '', endYear: '' })}
        describe={(p) => [p.title, p.company].filter(Boolean).join(' at ')}
        errors={errors}
        onChange={(positions) => set('positions', positions)}
        onAnnounce={info}
      />

      <EntryListEditor
        name="educations"
        id="education"
        title="Education"
        noun="education"
        emptyText="Add the schools you went to."
        fields={educationFields}
        entries={form.educations}
        blank={() => ({ key: newKey(), school: '', degree: '', field: '', startYear: '', endYear: '' })}
        describe={(e) => e.school}
        errors={errors}
        onChange={(educations) => set('educations', educations)}
        onAnnounce={info}
      />

      <SkillsEditor skills={form.skills} errors={errors} onChange={(skills) => set('skills', skills)} onAnnounce={info} />

      <div className="card form-actions">
        <Link href="/profile" className="button button-secondary">
          Cancel
        </Link>
        <SubmitButton busy={busy} busyLabel="Saving…">Save profile</SubmitButton>
      </div>
    </form>
  );
}
