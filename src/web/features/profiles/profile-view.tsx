/** A profile as LinkedIn lays it out: a top card, then About, Experience, Education and Skills. */
import type { ReactNode } from 'react';
import type { Education, MemberProfile, Position, Profile } from '../../../contracts/profiles.js';
import { Avatar } from '../../components/avatar.js';
import { PageHeading } from '../../components/page.js';
import { DegreeBadge } from '../../components/person.js';
import { Link } from '../../components/router.js';
import { EmptyState } from '../../components/states.js';
import { MutualConnections } from './mutual-connections.js';

function years(startYear: number, endYear: number | null): string {
  return endYear === null ? `${startYear} – Present` : startYear === endYear ? String(startYear) : `${startYear} – ${endYear}`;
}

function localTime(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat([], { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date());
  } catch {
    return undefined;
  }
}

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  const id = `section-${title.toLowerCase()}`;
  return (
    <section className="card section" aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

interface ViewProps {
  profile: Profile;
  isMine: boolean;
  /** How far this member is from the viewer, and who they both know; not on your own profile. */
  network?: Pick<MemberProfile, 'degree' | 'mutualCount' | 'mutuals'>;
  /** What the viewer can do with this member (Connect, Pending, Accept…), under the top card's text. */
  actions?: ReactNode;
}

export function ProfileView({ profile, isMine, network, actions }: ViewProps) {
  const role = [profile.currentTitle, profile.currentCompany].filter(Boolean).join(' at ');
  const place = [profile.location, profile.industry].filter(Boolean).join(' · ');
  const time = profile.timeZone ? localTime(profile.timeZone) : undefined;
  const hasAnything =
    profile.headline || role || place || profile.about || profile.skills.length > 0 || profile.positions.length > 0 || profile.educations.length > 0;
  const editLink = (label: string, part?: string) =>
    isMine ? (
      <Link className="button button-secondary button-small" href={part ? `/profile/edit#${part}` : '/profile/edit'}>
        {label}
      </Link>
    ) : undefined;

  return (
    <div className="stack">
      <section className="card top-card" aria-labelledby="profile-name">
        <div className="top-card-banner" aria-hidden="true" />
        <div className="top-card-body">
          <Avatar id={profile.id} name={profile.fullName} size="lg" />
          <div className="top-card-actions">{editLink('Edit profile')}</div>
          <div className="name-line">
            <PageHeading id="profile-name">{profile.fullName}</PageHeading>
            {network && <DegreeBadge degree={network.degree} />}
          </div>
          {profile.headline ? <p className="headline">{profile.headline}</p> : isMine && <p className="muted">Add a headline so people know what you do.</p>}
          {role && <p className="role">{role}</p>}
          {place && <p className="muted">{place}</p>}
          {profile.timeZone && (
            <p className="muted">
              Time zone: {profile.timeZone}
              {time && <> · local time {time}</>}
            </p>
          )}
          {network && <MutualConnections member={profile} count={network.mutualCount} mutuals={network.mutuals} />}
          {actions}
        </div>
      </section>

      {!isMine && !hasAnything && (
        <div className="card">
          <EmptyState title={`${profile.fullName} has not filled in their profile yet`}>
            <p>Check back later to see their experience and skills.</p>
          </EmptyState>
        </div>
      )}

      {(profile.about || isMine) && (
        <Section title="About" action={editLink(profile.about ? 'Edit about' : 'Add about', 'about')}>
          {profile.about ? (
            <p className="about">{profile.about}</p>
          ) : (
            <EmptyState title="Nothing here yet">
              <p>Write a few lines about your work, what you are good at and what you are looking for.</p>
            </EmptyState>
          )}
        </Section>
      )}

      {(profile.positions.length > 0 || isMine) && (
        <Section title="Experience" action={editLink(profile.positions.length > 0 ? 'Edit experience' : 'Add experience', 'experience')}>
          {profile.positions.length > 0 ? (
            <ul className="entries">
              {profile.positions.map((p, i) => (
                <PositionItem key={i} position={p} />
              ))}
            </ul>
          ) : (
            <EmptyState title="No experience added">
              <p>Add the places you have worked, so people can find you by employer.</p>
            </EmptyState>
          )}
        </Section>
      )}

      {(profile.educations.length > 0 || isMine) && (
        <Section title="Education" action={editLink(profile.educations.length > 0 ? 'Edit education' : 'Add education', 'education')}>
          {profile.educations.length > 0 ? (
            <ul className="entries">
              {profile.educations.map((e, i) => (
                <EducationItem key={i} education={e} />
              ))}
            </ul>
          ) : (
            <EmptyState title="No education added">
              <p>Add your schools, so classmates can find you.</p>
            </EmptyState>
          )}
        </Section>
      )}

      {(profile.skills.length > 0 || isMine) && (
        <Section title="Skills" action={editLink(profile.skills.length > 0 ? 'Edit skills' : 'Add skills', 'skills')}>
          {profile.skills.length > 0 ? (
            <ul className="chips">
              {profile.skills.map((s) => (
                <li key={s} className="chip">
                  {s}
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No skills added">
              <p>List what you are good at, like “Negotiation” or “TypeScript”.</p>
            </EmptyState>
          )}
        </Section>
      )}
    </div>
  );
}

function PositionItem({ position }: { position: Position }) {
  return (
    <li className="entry">
      <span className="entry-icon" aria-hidden="true">
        {position.company.slice(0, 1).toUpperCase()}
      </span>
      <div>
        <h3>{position.title}</h3>
        <p>{position.company}</p>
        <p className="muted">{years(position.startYear, position.endYear)}</p>
      </div>
    </li>
  );
}

function EducationItem({ education }: { education: Education }) {
  const what = [education.degree, education.field].filter(Boolean).join(', ');
  return (
    <li className="entry">
      <span className="entry-icon" aria-hidden="true">
        {education.school.slice(0, 1).toUpperCase()}
      </span>
      <div>
        <h3>{education.school}</h3>
        {what && <p>{what}</p>}
        <p className="muted">{years(education.startYear, education.endYear)}</p>
      </div>
    </li>
  );
}
