-- Contacts are no longer merged by email: an email anyone can type proves nothing. A contact is the same person
-- again only when the site's backend says so (identity_id, from a signed identity token) or a channel does.
DROP INDEX contacts_email_key;
ALTER TABLE contacts ADD COLUMN identity_id text;
ALTER TABLE contacts ADD COLUMN verified boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX contacts_identity_key ON contacts (identity_id) WHERE identity_id IS NOT NULL;
