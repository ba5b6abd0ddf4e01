// Personal data kept out of logs: Zoom's API takes emails as path segments (GET /users/{email}), and a filter sent
// in a search body would otherwise reach the debug log through them.

const EMAIL_SEGMENT = /[^/?#]*(?:@|%40)[^/?#]*/gi;

/** A URL path with every segment that holds an email replaced by {email}. */
export function pathWithoutEmails(path: string): string {
  return path.replace(EMAIL_SEGMENT, "{email}");
}
