package dev.apikeys.query.audit;

import java.time.Instant;

/**
 * One audit record to publish: the CloudEvents attributes that vary per event, and the value.
 *
 * @param id   the event message's identifier, stable across re-publication so consumers can dedupe
 * @param type {@code apikey.created}, {@code apikey.disabled}, ...
 * @param time when the event was appended
 */
record AuditEvent(String id, String type, Instant time, AuditRecord value) {
}
