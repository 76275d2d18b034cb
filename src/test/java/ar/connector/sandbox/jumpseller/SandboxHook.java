package ar.connector.sandbox.jumpseller;

import java.time.OffsetDateTime;

/**
 * Snapshot of a registered webhook. {@code paused} is sandbox-side state: the openapi Hook schema
 * has no field for it, so a paused hook simply disappears from {@code GET /hooks.json} (the
 * connector is expected to notice a missing hook and register it again).
 */
public record SandboxHook(long id, String event, String url, OffsetDateTime createdAt,
                          boolean paused, int consecutiveFailures) {
}
