package dev.apikeys.query.consistency;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads a processor's committed segment positions from the token store table. It reads the rows
 * plainly rather than through the TokenStore (whose fetchToken claims the segment), so it sees the
 * segments every instance owns, not only this one's. It reads them with plain SQL, not as JPA
 * entities: inside a transaction, a persistence context would hand back the TokenEntry instances
 * of the first poll on every later one, and the wait would never see the processor move.
 */
@Component
public class ProcessorTokens {

    private final NamedParameterJdbcTemplate jdbc;
    private final Serializer serializer;

    ProcessorTokens(NamedParameterJdbcTemplate jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /**
     * The highest global index up to which every segment of the processor has applied every
     * committed event: below a gap only. -1 when the processor has no segments yet.
     */
    public long appliedByEverySegment(String processorName) {
        return positions(processorName).stream()
                .mapToLong(SegmentPosition::appliedUpTo)
                .min()
                .orElse(-1);
    }

    /**
     * Whether any segment of the processor, on whichever instance, is replaying: its committed
     * token is a replay token (also when wrapped in another token) that has not yet reached where
     * the segment stood at the reset. Axon keeps the replay token past that point until the next
     * new event arrives; a segment that redid everything is not replaying any more.
     */
    public boolean replaying(String processorName) {
        return rows(processorName).stream()
                .map(row -> row.token(serializer))
                .map(token -> token == null ? null : WrappedToken.unwrap(token, ReplayToken.class).orElse(null))
                .anyMatch(replay -> replay != null && !caughtUp(replay));
    }

    private static boolean caughtUp(ReplayToken replay) {
        TrackingToken atReset = WrappedToken.unwrapUpperBound(replay.getTokenAtReset());
        return atReset == null || replay.getCurrentToken() != null && replay.getCurrentToken().covers(atReset);
    }

    /** Each segment of the processor, who claims it (null: nobody) and how far it got. */
    public List<SegmentClaim> claims(String processorName) {
        List<StoredToken> rows = rows(processorName);
        int[] segmentIds = rows.stream().mapToInt(StoredToken::segment).toArray();
        return rows.stream()
                .map(row -> {
                    SegmentPosition position = SegmentPosition.of(
                            Segment.computeSegment(row.segment(), segmentIds), row.token(serializer));
                    return new SegmentClaim(row.segment(), row.owner(), position.index(), position.gaps());
                })
                .sorted(Comparator.comparingInt(SegmentClaim::segment))
                .toList();
    }

    /**
     * The processor's segment positions and the event store's head, read in one statement and so
     * from one snapshot: if the positions are past the head there, the processor had applied
     * everything committed up to it.
     */
    PositionsAtHead positionsAtHead(String processorName) {
        return jdbc.query("""
                select store.head, token.segment, token.owner, token.token, token.token_type
                  from (select max(global_index) as head from event_store.domain_event_entry) as store
                  left join read_model.token_entry as token on token.processor_name = :name
                """, Map.of("name", processorName), (ResultSet result) -> {
            Long head = null;
            List<StoredToken> rows = new ArrayList<>();
            while (result.next()) {
                head = result.getObject("head", Long.class);
                int segment = result.getInt("segment");
                if (!result.wasNull()) {
                    rows.add(new StoredToken(segment, result.getString("owner"), result.getBytes("token"),
                            result.getString("token_type")));
                }
            }
            return new PositionsAtHead(positions(rows), head);
        });
    }

    List<SegmentPosition> positions(String processorName) {
        return positions(rows(processorName));
    }

    private List<SegmentPosition> positions(List<StoredToken> rows) {
        int[] segmentIds = rows.stream().mapToInt(StoredToken::segment).toArray();
        return rows.stream()
                .map(row -> SegmentPosition.of(
                        Segment.computeSegment(row.segment(), segmentIds), row.token(serializer)))
                .toList();
    }

    private List<StoredToken> rows(String processorName) {
        return jdbc.query("""
                select segment, owner, token, token_type
                  from read_model.token_entry
                 where processor_name = :name
                """, Map.of("name", processorName),
                (row, rowNumber) -> new StoredToken(row.getInt("segment"), row.getString("owner"),
                        row.getBytes("token"), row.getString("token_type")));
    }

    /** A row of the token table, deserialized as Axon's TokenEntry does. */
    private record StoredToken(int segment, String owner, byte[] data, String type) {

        TrackingToken token(Serializer serializer) {
            return data == null
                    ? null
                    : serializer.deserialize(new SimpleSerializedObject<>(data, byte[].class, type, null));
        }
    }
}
