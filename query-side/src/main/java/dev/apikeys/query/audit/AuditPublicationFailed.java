package dev.apikeys.query.audit;

/** Kafka did not take an audit record; the publisher's batch rolls back and is retried later. */
class AuditPublicationFailed extends RuntimeException {

    AuditPublicationFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
