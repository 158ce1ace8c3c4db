package dev.apikeys.runtime.axon;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC storage engine, reading the events of a stream with their global index. A key's
 * history merges two streams, its own and its usage stream, and must order them as the store did,
 * as the audit stream numbers them; Axon's engine selects the global index of a stream's events
 * but leaves it out of what it hands on. Here it rides along as the events' tracking token.
 */
final class StreamOrderJdbcEventStorageEngine extends JdbcEventStorageEngine {

    StreamOrderJdbcEventStorageEngine(Builder builder) {
        super(builder);
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return new TrackedDomainEventData<>(
                new GlobalSequenceTrackingToken(resultSet.getLong(schema().globalIndexColumn())),
                super.getDomainEventData(resultSet));
    }
}
