// Who runs a CLI command that changes something (a breaker release, a drift fix): the operating-system user, as
// the audit trail and the breaker's state record it.
import { userInfo } from "node:os";

export function operator(): string {
  try {
    return userInfo().username;
  } catch {
    // A container without a passwd entry for its uid.
    return `uid ${process.getuid?.() ?? "unknown"}`;
  }
}
