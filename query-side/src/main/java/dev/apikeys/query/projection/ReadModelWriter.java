package dev.apikeys.query.projection;

import static dev.apikeys.query.ReadModelColumns.array;
import static dev.apikeys.query.ReadModelColumns.scopesJson;
import static dev.apikeys.query.ReadModelColumns.timestamp;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.replay.BatchProjection;
import dev.apikeys.query.replay.KeyEvent;
import dev.apikeys.query.replay.ProjectionTables;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies a batch of events to one copy of the read model (the keys GET lists and the lookup table
 * verification starts from) in a few statements, whatever the batch's size: one query reads the
 * rows the batch touches, the events are folded in memory in order, and the rows they changed are
 * written back with one statement per table and kind (arrays unnested). Idempotent: an event at or
 * below a row's last sequence is skipped, a creation of a row that exists is ignored, and usage only
 * ever moves last_used_at forward.
 */
@Component
class ReadModelWriter implements BatchProjection {

    private static final String API_KEY = "api_key";
    private static final String KEY_LOOKUP = "key_lookup";

    private static final Logger log = LoggerFactory.getLogger(ReadModelWriter.class);

    private final JdbcTemplate jdbc;

    ReadModelWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String processorName() {
        return ApiKeyProjection.PROCESSOR;
    }

    /** api_key is read first, so it is locked first. */
    @Override
    public List<String> tables() {
        return List.of(API_KEY, KEY_LOOKUP);
    }

    @Override
    public void apply(List<KeyEvent> events, ProjectionTables tables) {
        if (events.isEmpty()) {
            return;
        }
        Map<UUID, ApiKeyView> rows = load(keyIds(events), tables);
        Map<UUID, String> created = new LinkedHashMap<>();
        Set<UUID> changed = new LinkedHashSet<>();
        for (KeyEvent event : events) {
            fold(event, rows, created, changed);
        }
        changed.removeAll(created.keySet());
        insert(created, rows, tables);
        update(changed, rows, tables);
    }

    void deleteAll(ProjectionTables tables) {
        jdbc.update("delete from " + tables.of(KEY_LOOKUP));
        jdbc.update("delete from " + tables.of(API_KEY));
    }

    private static void fold(KeyEvent event, Map<UUID, ApiKeyView> rows, Map<UUID, String> created,
            Set<UUID> changed) {
        long sequence = event.sequence();
        Object payload = event.payload();
        if (payload instanceof ApiKeyCreated c) {
            if (!rows.containsKey(c.keyId())) {
                rows.put(c.keyId(), new ApiKeyView(c.keyId(), c.userId(), c.organizationId(), c.name(),
                        c.keyPrefix(), c.scopes(), c.expiresAt(), c.createdAt(), sequence));
                created.put(c.keyId(), c.keyHash());
            }
        } else if (payload instanceof ApiKeyDisabled d) {
            change(rows, changed, d.keyId(), sequence, d.disabledAt(), ApiKeyView::disable);
        } else if (payload instanceof ApiKeyEnabled e) {
            change(rows, changed, e.keyId(), sequence, e.enabledAt(), ApiKeyView::enable);
        } else if (payload instanceof ApiKeyRotated r) {
            change(rows, changed, r.keyId(), sequence, r.rotatedAt(), view -> view.expireAt(r.expiresAt()));
        } else if (payload instanceof ApiKeyDeleted d) {
            change(rows, changed, d.keyId(), sequence, d.deletedAt(), ApiKeyView::delete);
        } else if (payload instanceof ApiKeyUsed u) {
            ApiKeyView row = rows.get(u.keyId());
            if (row == null) {
                log.error("No read model row for key {}; usage at {} ignored", u.keyId(), u.lastUsedAt());
            } else if (row.usedAt(u.lastUsedAt())) {
                changed.add(u.keyId());
            }
        }
    }

    private static void change(Map<UUID, ApiKeyView> rows, Set<UUID> changed, UUID keyId, long sequence,
            Instant at, Consumer<ApiKeyView> change) {
        ApiKeyView row = rows.get(keyId);
        if (row == null) {
            // Events of one key arrive in order, so this means the store lost the creation.
            log.error("No read model row for key {}; event {} ignored", keyId, sequence);
        } else if (!row.hasApplied(sequence)) {
            change.accept(row);
            row.applied(sequence, at);
            changed.add(keyId);
        }
    }

    private static Set<UUID> keyIds(List<KeyEvent> events) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (KeyEvent event : events) {
            UUID keyId = keyIdOf(event.payload());
            if (keyId != null) {
                ids.add(keyId);
            }
        }
        return ids;
    }

    private static UUID keyIdOf(Object payload) {
        if (payload instanceof ApiKeyCreated c) {
            return c.keyId();
        } else if (payload instanceof ApiKeyDisabled d) {
            return d.keyId();
        } else if (payload instanceof ApiKeyEnabled e) {
            return e.keyId();
        } else if (payload instanceof ApiKeyRotated r) {
            return r.keyId();
        } else if (payload instanceof ApiKeyDeleted d) {
            return d.keyId();
        } else if (payload instanceof ApiKeyUsed u) {
            return u.keyId();
        }
        return null;
    }

    private Map<UUID, ApiKeyView> load(Set<UUID> ids, ProjectionTables tables) {
        Map<UUID, ApiKeyView> rows = new HashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    select %s
                      from %s where id = any(?)""".formatted(ApiKeyRows.COLUMNS, tables.of(API_KEY)));
            Array array = connection.createArrayOf("uuid", ids.toArray());
            statement.setArray(1, array);
            return statement;
        }, (ResultSet row) -> {
            ApiKeyView view = ApiKeyRows.view(row);
            rows.put(view.id(), view);
        });
        return rows;
    }

    private void insert(Map<UUID, String> created, Map<UUID, ApiKeyView> rows, ProjectionTables tables) {
        if (created.isEmpty()) {
            return;
        }
        List<ApiKeyView> inserted = created.keySet().stream().map(rows::get).toList();
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement keys = connection.prepareStatement("""
                    insert into %s (id, user_id, organization_id, name, key_prefix, scopes, created_at, updated_at,
                                    last_used_at, expires_at, disabled, deleted, last_sequence)
                    select id, user_id, organization_id, name, key_prefix, cast(scopes as jsonb), created_at,
                           updated_at, last_used_at, expires_at, disabled, deleted, last_sequence
                      from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                  ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[],
                                  ?::boolean[], ?::boolean[], ?::bigint[])
                           as row(id, user_id, organization_id, name, key_prefix, scopes, created_at, updated_at,
                                  last_used_at, expires_at, disabled, deleted, last_sequence)
                    on conflict do nothing""".formatted(tables.of(API_KEY)))) {
                int column = 1;
                keys.setArray(column++, array(connection, "uuid", inserted, ApiKeyView::id));
                keys.setArray(column++, array(connection, "text", inserted, ApiKeyView::userId));
                keys.setArray(column++, array(connection, "text", inserted, ApiKeyView::organizationId));
                keys.setArray(column++, array(connection, "text", inserted, ApiKeyView::name));
                keys.setArray(column++, array(connection, "text", inserted, ApiKeyView::keyPrefix));
                keys.setArray(column++, array(connection, "text", inserted, row -> scopesJson(row.scopes())));
                keys.setArray(column++, array(connection, "timestamptz", inserted, row -> timestamp(row.createdAt())));
                keys.setArray(column++, array(connection, "timestamptz", inserted, row -> timestamp(row.updatedAt())));
                keys.setArray(column++, array(connection, "timestamptz", inserted,
                        row -> timestamp(row.lastUsedAt())));
                keys.setArray(column++, array(connection, "timestamptz", inserted, row -> timestamp(row.expiresAt())));
                keys.setArray(column++, array(connection, "boolean", inserted, ApiKeyView::disabled));
                keys.setArray(column++, array(connection, "boolean", inserted, ApiKeyView::deleted));
                keys.setArray(column, array(connection, "bigint", inserted, ApiKeyView::lastSequence));
                keys.executeUpdate();
            }
            try (PreparedStatement lookups = connection.prepareStatement("""
                    insert into %s (key_hash, key_id, user_id, organization_id, scopes, expires_at, disabled, deleted,
                                    last_sequence)
                    select key_hash, key_id, user_id, organization_id, cast(scopes as jsonb), expires_at, disabled,
                           deleted, last_sequence
                      from unnest(?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                  ?::boolean[], ?::boolean[], ?::bigint[])
                           as row(key_hash, key_id, user_id, organization_id, scopes, expires_at, disabled, deleted,
                                  last_sequence)
                    on conflict do nothing""".formatted(tables.of(KEY_LOOKUP)))) {
                int column = 1;
                lookups.setArray(column++, array(connection, "text", inserted, row -> created.get(row.id())));
                lookups.setArray(column++, array(connection, "uuid", inserted, ApiKeyView::id));
                lookups.setArray(column++, array(connection, "text", inserted, ApiKeyView::userId));
                lookups.setArray(column++, array(connection, "text", inserted, ApiKeyView::organizationId));
                lookups.setArray(column++, array(connection, "text", inserted, row -> scopesJson(row.scopes())));
                lookups.setArray(column++, array(connection, "timestamptz", inserted,
                        row -> timestamp(row.expiresAt())));
                lookups.setArray(column++, array(connection, "boolean", inserted, ApiKeyView::disabled));
                lookups.setArray(column++, array(connection, "boolean", inserted, ApiKeyView::deleted));
                lookups.setArray(column, array(connection, "bigint", inserted, ApiKeyView::lastSequence));
                lookups.executeUpdate();
            }
            return null;
        });
    }

    private void update(Set<UUID> changed, Map<UUID, ApiKeyView> rows, ProjectionTables tables) {
        if (changed.isEmpty()) {
            return;
        }
        List<ApiKeyView> updated = changed.stream().map(rows::get).toList();
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement keys = connection.prepareStatement("""
                    update %s key
                       set updated_at = row.updated_at, last_used_at = row.last_used_at, expires_at = row.expires_at,
                           disabled = row.disabled, deleted = row.deleted, last_sequence = row.last_sequence
                      from unnest(?::uuid[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::boolean[],
                                  ?::boolean[], ?::bigint[])
                           as row(id, updated_at, last_used_at, expires_at, disabled, deleted, last_sequence)
                     where key.id = row.id""".formatted(tables.of(API_KEY)));
                    PreparedStatement lookups = connection.prepareStatement("""
                    update %s lookup
                       set expires_at = row.expires_at, disabled = row.disabled, deleted = row.deleted,
                           last_sequence = row.last_sequence
                      from unnest(?::uuid[], ?::timestamptz[], ?::boolean[], ?::boolean[], ?::bigint[])
                           as row(key_id, expires_at, disabled, deleted, last_sequence)
                     where lookup.key_id = row.key_id""".formatted(tables.of(KEY_LOOKUP)))) {
                Array ids = array(connection, "uuid", updated, ApiKeyView::id);
                Array expiresAt = array(connection, "timestamptz", updated, row -> timestamp(row.expiresAt()));
                Array disabled = array(connection, "boolean", updated, ApiKeyView::disabled);
                Array deleted = array(connection, "boolean", updated, ApiKeyView::deleted);
                Array lastSequence = array(connection, "bigint", updated, ApiKeyView::lastSequence);
                keys.setArray(1, ids);
                keys.setArray(2, array(connection, "timestamptz", updated, row -> timestamp(row.updatedAt())));
                keys.setArray(3, array(connection, "timestamptz", updated, row -> timestamp(row.lastUsedAt())));
                keys.setArray(4, expiresAt);
                keys.setArray(5, disabled);
                keys.setArray(6, deleted);
                keys.setArray(7, lastSequence);
                keys.executeUpdate();
                lookups.setArray(1, ids);
                lookups.setArray(2, expiresAt);
                lookups.setArray(3, disabled);
                lookups.setArray(4, deleted);
                lookups.setArray(5, lastSequence);
                lookups.executeUpdate();
            }
            return null;
        });
    }
}
