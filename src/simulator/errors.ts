// Zoom's error answers: `{code, message}` plus `errors:[{field,message}]` on validation failures
// (docs/zoom-behaviour.md §5). Handlers throw ZoomError; the server turns it into the response.

export interface FieldError {
  field: string;
  message: string;
}

export class ZoomError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  body(): { code: number; message: string; errors?: FieldError[] } {
    return this.errors ? { code: this.code, message: this.message, errors: this.errors } : { code: this.code, message: this.message };
  }
}

export const MSG_QPS = "You have reached the maximum per-second rate limit for this API. Try again later.";
export const MSG_DAILY =
  "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.";
export const MSG_CONCURRENT = "Too many concurrent requests. Please try again later.";

export const err = {
  invalidToken: () => new ZoomError(401, 124, "Invalid access token."),
  expiredToken: () => new ZoomError(401, 124, "Access token is expired."),
  missingScope: (scope: string) => new ZoomError(400, 4711, `Invalid access token, does not contain scopes:[${scope}].`),
  notRecognized: () => new ZoomError(404, 2300, "This API endpoint is not recognized."),
  badJson: () => new ZoomError(400, 300, "Request Body should be a valid JSON object."),
  validation: (errors: FieldError[]) => new ZoomError(400, 300, "Validation Failed.", errors),
  invalid: (message: string) => new ZoomError(400, 300, message),
  badPageToken: () => new ZoomError(400, 300, "The next page token is invalid or expired."),
  userNotFound: (idOrEmail: string) => new ZoomError(404, 1001, `User does not exist: ${idOrEmail}.`),
  emailTaken: (email: string) => new ZoomError(409, 1005, `Email "${email}" has already been used.`),
  emailElsewhere: (email: string) => new ZoomError(400, 1009, `The user ${email} already holds an active account.`),
  invitationInvalid: () => new ZoomError(400, 1120, "A valid invitation to join the Zoom account was not found for this user."),
  adminNoDisassociate: () => new ZoomError(400, 1117, "You can not disassociate an Admin user."),
  managedDomain: () => new ZoomError(400, 1107, "You can not disassociate a user with managed domain."),
  adminStatus: () => new ZoomError(400, 200, "Zoom Room and Admin users' status cannot be activated or deactivated."),
  typeNotAllowed: () => new ZoomError(400, 1108, "Permission requirements to change the user type of this user were not met."),
  paidOnly: () => new ZoomError(400, 200, "Only available for Paid account."),
  seats: (max: number) =>
    new ZoomError(
      400,
      2034,
      `Your request to add a new Licensed user could not be approved at this time because your account has reached the permitted maximum number of ${max} Licensed users. Please purchase additional licenses or contact the Zoom support team to provision additional users in your account.`,
    ),
  groupNotFound: (groupId: string) => new ZoomError(404, 4130, `A group with this ${groupId} does not exist.`),
  notGroupMember: () => new ZoomError(404, 4131, "Group member does not exist."),
  groupNameTaken: (name: string) => new ZoomError(409, 4132, `The group name "${name}" is already in use.`),
  groupNameTakenRename: (name: string) => new ZoomError(409, 4132, `Group name ${name} is already in use.`),
  roleNotFound: () => new ZoomError(400, 1034, "Provided role_id does not exist."),
  roleNotAssignable: () => new ZoomError(400, 300, "Can't delete or add members for Normal/Owner roles."),
  concurrent: () => new ZoomError(429, 429, MSG_CONCURRENT),
};
