/** Every email Rapport sends is first written here, in the transaction that caused it. */
export interface EmailTable {
  id: string;
  to_address: string;
  category: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  created_at: string;
  sent_at: string | null;
}
