package ar.connector.sandbox.contabilium;

import java.time.Instant;

/**
 * One request as the sandbox saw it. {@code account} is the e-mail of the authenticated account
 * (for /token the client_id, when known), else null; {@code endpoint} is null for unknown paths.
 */
public record RecordedCall(Instant at, String account, Endpoint endpoint, String method, String uri,
                           int status, String remoteAddress, String requestBody) {
}
