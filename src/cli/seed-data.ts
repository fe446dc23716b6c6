/** Vocabulary for generated profiles: varied enough that search, PYMK and ICP filters have real structure. */
export const FIRST_NAMES = [
  'Aisha', 'Alejandro', 'Amelia', 'Amir', 'Ana', 'Andrei', 'Anika', 'Arjun', 'Beatriz', 'Ben', 'Camille', 'Carlos', 'Chen', 'Chiara',
  'Chloe', 'Daniel', 'David', 'Diego', 'Elena', 'Emeka', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Freya', 'Gabriel', 'Grace', 'Hana',
  'Hannah', 'Hiroshi', 'Ines', 'Isabel', 'Ivan', 'Jack', 'James', 'Jana', 'Javier', 'Ji-woo', 'Johan', 'Julia', 'Kai', 'Karim',
  'Katarzyna', 'Kofi', 'Laila', 'Lars', 'Laura', 'Leila', 'Leo', 'Lina', 'Lucas', 'Lucia', 'Maria', 'Mateo', 'Maya', 'Mei', 'Mia',
  'Mohammed', 'Nadia', 'Naomi', 'Nikhil', 'Noah', 'Olga', 'Oliver', 'Omar', 'Priya', 'Rafael', 'Ravi', 'Rosa', 'Sade', 'Samir',
  'Sara', 'Sebastian', 'Sofia', 'Sophie', 'Tariq', 'Thomas', 'Tomas', 'Valentina', 'Wei', 'Yara', 'Yusuf', 'Zainab', 'Zoe',
];

export const LAST_NAMES = [
  'Adeyemi', 'Ahmed', 'Almeida', 'Andersson', 'Bauer', 'Becker', 'Bianchi', 'Brown', 'Castillo', 'Chen', 'Cohen', 'Costa', 'Da Silva',
  'Dubois', 'Eriksen', 'Fernandez', 'Fischer', 'Garcia', 'Gomez', 'Gupta', 'Haddad', 'Hansen', 'Hernandez', 'Hoffmann', 'Ibrahim',
  'Ivanova', 'Jansen', 'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Lambert', 'Larsen', 'Lee', 'Lopez', 'Martin', 'Mendes', 'Meyer',
  'Moreau', 'Muller', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Oliveira', 'Park', 'Patel', 'Petrov', 'Popescu', 'Rahman',
  'Rossi', 'Sato', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Sousa', 'Tanaka', 'Taylor', 'Thompson', 'Van Dijk', 'Wagner', 'Wang',
  'Williams', 'Wilson', 'Wong', 'Yilmaz', 'Zhang', 'Zielinski',
];

export interface IndustryVocabulary {
  name: string;
  titles: string[];
  companies: string[];
  skills: string[];
}

export const INDUSTRIES: IndustryVocabulary[] = [
  {
    name: 'Software Development',
    titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'CTO', 'Product Manager', 'Site Reliability Engineer', 'Frontend Developer'],
    companies: ['Northwind Labs', 'Brightloop', 'Cobalt Systems', 'Stackhaven', 'Quillsoft', 'Lumen Cloud', 'Parallax Data', 'Tessellate'],
    skills: ['TypeScript', 'Go', 'Kubernetes', 'PostgreSQL', 'React', 'System Design', 'AWS', 'Rust', 'CI/CD', 'Distributed Systems'],
  },
  {
    name: 'Financial Services',
    titles: ['Financial Analyst', 'Investment Associate', 'Risk Manager', 'Portfolio Manager', 'CFO', 'Compliance Officer', 'Controller'],
    companies: ['Harbor Capital', 'Meridian Bank', 'Silverline Partners', 'Atlas Asset Management', 'Crestview Advisors', 'Keystone Finance'],
    skills: ['Financial Modeling', 'Valuation', 'Risk Management', 'Excel', 'Bloomberg', 'IFRS', 'Due Diligence', 'Corporate Finance'],
  },
  {
    name: 'Marketing Services',
    titles: ['Marketing Manager', 'Growth Marketer', 'Content Strategist', 'Head of Demand Generation', 'CMO', 'Brand Manager', 'SEO Specialist'],
    companies: ['Brightside Agency', 'Signal & Story', 'Amplify Media', 'Northstar Growth', 'Pixel Pioneers', 'Kindred Brands'],
    skills: ['Demand Generation', 'SEO', 'Content Marketing', 'Marketing Automation', 'HubSpot', 'Brand Strategy', 'Copywriting', 'Analytics'],
  },
  {
    name: 'Hospitals and Health Care',
    titles: ['Registered Nurse', 'Clinical Researcher', 'Hospital Administrator', 'Physician', 'Health Data Analyst', 'Practice Manager'],
    companies: ['St. Aurelia Health', 'Riverside Medical Center', 'Vitalis Clinics', 'Greenfield Hospital', 'CarePoint Network'],
    skills: ['Patient Care', 'Clinical Trials', 'EHR', 'Healthcare Management', 'HIPAA', 'Epidemiology', 'Quality Improvement'],
  },
  {
    name: 'Staffing and Recruiting',
    titles: ['Technical Recruiter', 'Talent Acquisition Lead', 'Head of People', 'Executive Recruiter', 'HR Business Partner'],
    companies: ['TalentBridge', 'Hirewell Partners', 'Pathfinder Search', 'PeopleFirst Staffing', 'Summit Talent'],
    skills: ['Sourcing', 'Interviewing', 'Employer Branding', 'ATS', 'Negotiation', 'Onboarding', 'Talent Strategy'],
  },
  {
    name: 'Manufacturing',
    titles: ['Operations Manager', 'Plant Manager', 'Supply Chain Analyst', 'Quality Engineer', 'Procurement Manager', 'COO'],
    companies: ['Ironworks Manufacturing', 'Precision Parts Co.', 'Vanguard Industrial', 'Helix Components', 'Forge & Field'],
    skills: ['Lean Manufacturing', 'Six Sigma', 'Supply Chain Management', 'ERP', 'Procurement', 'Process Improvement'],
  },
  {
    name: 'Business Consulting and Services',
    titles: ['Management Consultant', 'Senior Consultant', 'Partner', 'Business Analyst', 'Strategy Director', 'Founder'],
    companies: ['Clearpath Consulting', 'Bridgewater Strategy', 'Insight Partners Group', 'Elevate Advisory', 'Catalyst & Co.'],
    skills: ['Strategy', 'Change Management', 'Stakeholder Management', 'Business Analysis', 'Market Research', 'Workshops'],
  },
  {
    name: 'Education',
    titles: ['Teacher', 'Professor', 'Instructional Designer', 'Program Director', 'Education Consultant', 'Dean'],
    companies: ['Lakeside Academy', 'Open Learning Institute', 'Brightpath Schools', 'EduNova', 'Horizon College'],
    skills: ['Curriculum Design', 'E-Learning', 'Coaching', 'Public Speaking', 'Research', 'Mentoring'],
  },
  {
    name: 'Real Estate',
    titles: ['Real Estate Agent', 'Property Manager', 'Investment Analyst', 'Broker', 'Development Manager'],
    companies: ['Keystone Realty', 'Urban Nest Properties', 'Cornerstone Estates', 'Bluebrick Development', 'Parkside Homes'],
    skills: ['Property Management', 'Negotiation', 'Real Estate Valuation', 'Leasing', 'Market Analysis', 'CRM'],
  },
  {
    name: 'Sales',
    titles: ['Account Executive', 'Sales Development Representative', 'VP of Sales', 'Customer Success Manager', 'Head of Partnerships', 'Founder'],
    companies: ['Revenue Rocket', 'CloserCo', 'Pipeline Partners', 'Quota Labs', 'Outbound Works'],
    skills: ['B2B Sales', 'Prospecting', 'Salesforce', 'Negotiation', 'Account Management', 'Cold Outreach', 'Social Selling'],
  },
];

export const LOCATIONS: Array<{ name: string; timeZone: string }> = [
  { name: 'London, United Kingdom', timeZone: 'Europe/London' },
  { name: 'Paris, France', timeZone: 'Europe/Paris' },
  { name: 'Berlin, Germany', timeZone: 'Europe/Berlin' },
  { name: 'Amsterdam, Netherlands', timeZone: 'Europe/Amsterdam' },
  { name: 'Madrid, Spain', timeZone: 'Europe/Madrid' },
  { name: 'Lisbon, Portugal', timeZone: 'Europe/Lisbon' },
  { name: 'Stockholm, Sweden', timeZone: 'Europe/Stockholm' },
  { name: 'Warsaw, Poland', timeZone: 'Europe/Warsaw' },
  { name: 'New York, NY, United States', timeZone: 'America/New_York' },
  { name: 'San Francisco, CA, United States', timeZone: 'America/Los_Angeles' },
  { name: 'Austin, TX, United States', timeZone: 'America/Chicago' },
  { name: 'Toronto, Canada', timeZone: 'America/Toronto' },
  { name: 'São Paulo, Brazil', timeZone: 'America/Sao_Paulo' },
  { name: 'Mexico City, Mexico', timeZone: 'America/Mexico_City' },
  { name: 'Lagos, Nigeria', timeZone: 'Africa/Lagos' },
  { name: 'Nairobi, Kenya', timeZone: 'Africa/Nairobi' },
  { name: 'Dubai, United Arab Emirates', timeZone: 'Asia/Dubai' },
  { name: 'Bengaluru, India', timeZone: 'Asia/Kolkata' },
  { name: 'Singapore', timeZone: 'Asia/Singapore' },
  { name: 'Tokyo, Japan', timeZone: 'Asia/Tokyo' },
  { name: 'Seoul, South Korea', timeZone: 'Asia/Seoul' },
  { name: 'Sydney, Australia', timeZone: 'Australia/Sydney' },
];

export const SCHOOLS = [
  'University of Edinburgh', 'Sorbonne University', 'Technical University of Munich', 'Delft University of Technology',
  'University of Barcelona', 'KTH Royal Institute of Technology', 'University of Warsaw', 'Columbia University', 'Stanford University',
  'University of Texas at Austin', 'University of Toronto', 'University of São Paulo', 'University of Lagos', 'University of Nairobi',
  'Indian Institute of Technology Bombay', 'National University of Singapore', 'University of Tokyo', 'Seoul National University',
  'University of Sydney', 'London School of Economics', 'INSEAD', 'ETH Zurich',
];

export const DEGREES: Array<{ degree: string; fields: string[] }> = [
  { degree: 'BSc', fields: ['Computer Science', 'Economics', 'Mathematics', 'Biology', 'Mechanical Engineering', 'Psychology'] },
  { degree: 'BA', fields: ['Business Administration', 'Communications', 'History', 'Marketing', 'Political Science'] },
  { degree: 'MSc', fields: ['Data Science', 'Finance', 'Supply Chain Management', 'Public Health', 'Software Engineering'] },
  { degree: 'MBA', fields: ['Business Administration', 'Strategy', 'Entrepreneurship'] },
  { degree: 'PhD', fields: ['Physics', 'Education', 'Epidemiology', 'Computer Science'] },
];
