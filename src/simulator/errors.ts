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

/**
 * Zoom Phone and licence refusals (docs/zoom-behaviour.md §10, §11). Zoom documents no code for an occupied or
 * malformed extension, an assigned number, a number of another site or a calling plan without seats: those answer
 * 400/300, the validation code each operation documents, with a message of the simulator's (assumed).
 */
export const phoneErr = {
  phoneUserNotFound: (userId: string) => new ZoomError(404, 1001, `User does not exist: ${userId}.`),
  noPhoneLicence: () =>
    new ZoomError(404, 1102, "You cannot enable the Zoom Phone feature because you do not have any available licenses."),
  extensionTaken: (extension: string) => new ZoomError(400, 300, `Extension number ${extension} is already in use.`),
  extensionMalformed: (extension: string, site: string, digits: number) =>
    new ZoomError(400, 300, `Extension number ${extension} is invalid for site ${site}: it must have ${digits} digits.`),
  siteNotFound: () => new ZoomError(400, 300, "Site does not exist."),
  siteNotFoundGet: () => new ZoomError(400, 400, "The site does not exist."),
  planNotSubscribed: (type: number) => new ZoomError(400, 300, `Invalid field. Calling plan ${type} is not subscribed by this account.`),
  planNoSeats: (type: number) => new ZoomError(400, 300, `No available licenses for calling plan ${type}.`),
  planNotHeld: () => new ZoomError(400, 400, "Invalid field."),
  sourcePlanNotHeld: () => new ZoomError(400, 404, "User did not subscribe to the source plan."),
  numberNotFound: (number: string) => new ZoomError(400, 300, `Phone number does not exist: ${number}.`),
  numberAssigned: (number: string) => new ZoomError(400, 300, `Phone number ${number} is already assigned to another user.`),
  numberOtherSite: (number: string) => new ZoomError(400, 300, `Phone number ${number} does not belong to the user's site.`),
  numberNotHeld: () => new ZoomError(400, 300, "Invalid user id."),
  zoomOneSeats: (max: number) =>
    new ZoomError(
      400,
      2038,
      `Your request to add a new Zoom One user could not be approved at this time because your account has reached the permitted maximum number of ${max} Zoom One users.`,
    ),
  unitedSeats: (max: number) =>
    new ZoomError(
      400,
      2034,
      `Your request to add a new Zoom United user could not be approved at this time because your account has reached the permitted maximum number of ${max} Zoom United users.`,
    ),
  featureSeats: (max: number, feature: string) => new ZoomError(400, 200, `You can add max ${max} ${feature} users.`),
  webinarLicensedOnly: () => new ZoomError(400, 1122, "Webinar feature can only be enabled for Licensed or On-prem users."),
  largeLicensedOnly: () => new ZoomError(400, 1108, "Only Licensed or On-prem users can enable the large meeting feature."),
  eventsLicensedOnly: () => new ZoomError(400, 1206, "You can only enable the Zoom Events feature for Licensed or On-prem users."),
  webinarWithEvents: () =>
    new ZoomError(400, 1204, "You can't enable the Webinar feature because you already have the Zoom Events feature."),
  eventsWithWebinar: () =>
    new ZoomError(400, 1205, "You can't enable the Zoom Events feature because you already have the Webinar feature."),
};
