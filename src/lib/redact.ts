// Personal data kept out of logs: Zoom's API takes emails as path segments (GET /users/{email}), and a filter sent
// in a search body would otherwise reach the debug log through them.

const EMAIL_SEGMENT = /[^/?#]*(?:@|%40)[^/?#]*/gi;

/** A URL path with every segment that holds an email replaced by {email}. */
export function pathWithoutEmails(path: string): string {
  return path.replace(EMAIL_SEGMENT, "{email}");
}

// local@domain.tld, as Zoom writes emails into its messages ("User ada@example.com already exists").
const EMAIL_IN_TEXT = /[^\s"'<>(),;:@/]+@[^\s"'<>(),;:@/]+\.[a-z]{2,}/gi;

/** Free text (Zoom's messages, SCIM details) with every email replaced by {email}. */
export function textWithoutEmails(text: string): string {
  return text.replace(EMAIL_IN_TEXT, "{email}");
}
