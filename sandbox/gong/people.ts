/**
 * Word banks for the synthetic Gong tenant: the company, its customers, and the people on calls.
 * Domains use the reserved `.example` TLD so no generated address can reach a real mailbox.
 */

export const COMPANY = { name: 'Lumen Harbor', domain: 'lumenharbor.example', formerDomain: 'lumen-hq.example' };

export const FIRST_NAMES = [
  'Maya', 'Jonah', 'Priya', 'Diego', 'Hannah', 'Kofi', 'Elena', 'Marcus', 'Aiko', 'Samir',
  'Grace', 'Tomasz', 'Leila', 'Owen', 'Chloe', 'Rafael', 'Ingrid', 'Darius', 'Nadia', 'Felix',
  'Rosa', 'Ethan', 'Yuki', 'Amara', 'Lucas', 'Sofia', 'Benedict', 'Zara', 'Malik', 'Freya',
  'Oliver', 'Imani', 'Mateo', 'Clara', 'Arjun', 'Hazel', 'Noah', 'Lina', 'Victor', 'Esme',
  'Kai', 'Beatriz', 'Theo', 'Mariam', 'Julian', 'Astrid', 'Idris', 'Vera', 'Caleb', 'Noor',
] as const;

export const LAST_NAMES = [
  'Chen', 'Okafor', 'Patel', 'Alvarez', 'Schmidt', 'Mensah', 'Petrova', 'Reid', 'Tanaka', 'Haddad',
  'Lindqvist', 'Nowak', 'Farouk', 'Brennan', 'Dubois', 'Costa', 'Berg', 'Rahimi', 'Sokolova', 'Wagner',
  'Moreno', 'Walsh', 'Sato', 'Eze', 'Ferreira', 'Rossi', 'Hughes', 'Kaur', 'Osei', 'Larsen',
  'Nguyen', 'Adeyemi', 'Romero', 'Fischer', 'Iyer', 'Quinn', 'Novak', 'Salazar', 'Kowalski', 'Byrne',
  'Abe', 'Lopes', 'Murphy', 'Karimi', 'Hale', 'Sundberg', 'Bakr', 'Varga', 'Price', 'Aziz',
] as const;

export interface CustomerAccount {
  name: string;
  domain: string;
}

export const CUSTOMER_ACCOUNTS: readonly CustomerAccount[] = [
  { name: 'Acme Logistics', domain: 'acme-logistics.example' },
  { name: 'Bluefin Health', domain: 'bluefinhealth.example' },
  { name: 'Cobalt Freight', domain: 'cobaltfreight.example' },
  { name: 'Driftwood Retail', domain: 'driftwood-retail.example' },
  { name: 'Everpine Bank', domain: 'everpine.example' },
  { name: 'Fjord Energy', domain: 'fjordenergy.example' },
  { name: 'Granite Insurance', domain: 'granite-ins.example' },
  { name: 'Helix Biotech', domain: 'helixbio.example' },
  { name: 'Ironwood Manufacturing', domain: 'ironwood-mfg.example' },
  { name: 'Juniper Media', domain: 'junipermedia.example' },
  { name: 'Keystone Telecom', domain: 'keystonetel.example' },
  { name: 'Lighthouse Education', domain: 'lighthouse-edu.example' },
  { name: 'Meridian Travel', domain: 'meridiantravel.example' },
  { name: 'Northstar Foods', domain: 'northstarfoods.example' },
  { name: 'Orchid Hospitality', domain: 'orchidhotels.example' },
  { name: 'Pinnacle Robotics', domain: 'pinnacle-robotics.example' },
  { name: 'Quartz Analytics', domain: 'quartzanalytics.example' },
  { name: 'Redwood Legal', domain: 'redwoodlegal.example' },
  { name: 'Saffron Pharma', domain: 'saffronpharma.example' },
  { name: 'Tidewater Shipping', domain: 'tidewater.example' },
  { name: 'Umbra Security', domain: 'umbrasec.example' },
  { name: 'Vantage Realty', domain: 'vantagerealty.example' },
  { name: 'Willow Apparel', domain: 'willowapparel.example' },
  { name: 'Zenith Aerospace', domain: 'zenith-aero.example' },
];

export const CUSTOMER_TITLES = [
  'VP of Operations', 'Director of IT', 'Head of Revenue Operations', 'Procurement Manager',
  'CFO', 'Operations Manager', 'Senior Software Engineer', 'Chief Technology Officer',
  'Sales Operations Analyst', 'Director of Customer Support', 'Product Manager', 'COO',
] as const;

export type InternalRole = 'vp' | 'manager' | 'ae' | 'senior-ae' | 'sdr' | 'se' | 'csm';

export const ROLE_TITLES: Record<InternalRole, string> = {
  vp: 'VP of Sales',
  manager: 'Sales Manager',
  ae: 'Account Executive',
  'senior-ae': 'Senior Account Executive',
  sdr: 'Sales Development Representative',
  se: 'Solutions Engineer',
  csm: 'Customer Success Manager',
};

export const PRODUCT = 'Harbor Insights';
export const COMPETITORS = ['Clearwave', 'Datanest', 'Signalbox'] as const;
export const SYSTEMS = ['Salesforce', 'HubSpot', 'Snowflake', 'NetSuite', 'Zendesk', 'SAP'] as const;
export const TEAMS = ['finance', 'support', 'operations', 'the sales team', 'IT', 'marketing'] as const;
