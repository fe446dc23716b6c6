/** Server-wide values generated once (e.g. the email token secret when none is configured). */
export interface SettingTable {
  key: string;
  value: string;
  created_at: string;
}
