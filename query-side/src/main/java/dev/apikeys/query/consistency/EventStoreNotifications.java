package dev.apikeys.query.consistency;

import dev.apikeys.runtime.persistence.AppendAnnouncer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Listens on the event store's commit announcements (channel {@code apikeys_event_store}, sent
 * after each commit by {@link AppendAnnouncer}) on a connection of its own, and wakes every stream tailing
 * the store: events committed by another process reach the processors and the verification keys at
 * once instead of at the streams' next recheck. Announcements only speed things up; nothing relies
 * on receiving them.
 */
@Component
class EventStoreNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStoreNotifications.class);

    private static final int WAIT_MILLIS = 1000;
    private static final long RETRY_MILLIS = 1000;

    private final DataSourceProperties dataSource;
    private final EventStore eventStore;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread listener;

    EventStoreNotifications(DataSourceProperties dataSource, EventStore eventStore) {
        this.dataSource = dataSource;
        this.eventStore = eventStore;
    }

    @Override
    public void start() {
        listener = new Thread(this::listen, "event-store-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    @Override
    public boolean isRunning() {
        return listener != null && stopped.getCount() > 0;
    }

    private void listen() {
        try {
            while (stopped.getCount() > 0) {
                try (Connection connection = DriverManager.getConnection(dataSource.determineUrl(),
                        dataSource.determineUsername(), dataSource.determinePassword())) {
                    listen(connection);
                } catch (SQLException e) {
                    log.warn("Listening for event store commits failed; retrying in {} ms: {}", RETRY_MILLIS,
                            e.toString());
                    if (stopped.await(RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + AppendAnnouncer.CHANNEL);
        }
        PGConnection notifications = connection.unwrap(PGConnection.class);
        while (stopped.getCount() > 0) {
            PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                // Axon's event store fetches for its tailing streams after every commit it sees,
                // also one of nothing: this one wakes them for the commits of other processes.
                eventStore.publish(List.of());
            }
        }
    }
}
