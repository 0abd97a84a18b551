/** What a client needs to sign in to the IM service. `password` is plain here; nggirl shows it base64-encoded. */
export interface ImCredentials {
  account: string;
  password: string;
}

/**
 * The port the sign-in routes call: one IM identity per user, created on first need and the same one afterwards.
 * Call it outside any database transaction: creating an identity may call the provider over the network.
 */
export abstract class ImAccounts {
  /** Throws DomainError UPSTREAM_FAILED when the provider refuses or cannot be reached. */
  abstract credentialsFor(userId: string): Promise<ImCredentials>;
}
