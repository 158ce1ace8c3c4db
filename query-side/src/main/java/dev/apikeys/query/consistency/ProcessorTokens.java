package dev.apikeys.query.consistency;

import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
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
                .mapToLong(position -> position.gaps().stream()
                        .mapToLong(gap -> gap - 1)
                        .reduce(position.index(), Math::min))
                .min()
                .orElse(-1);
    }

    List<SegmentPosition> positions(String processorName) {
        List<StoredToken> rows = jdbc.query("""
                select segment, token, token_type
                  from read_model.token_entry
                 where processor_name = :name
                """, Map.of("name", processorName),
                (row, rowNumber) -> new StoredToken(row.getInt("segment"), row.getBytes("token"),
                        row.getString("token_type")));
        int[] segmentIds = rows.stream().mapToInt(StoredToken::segment).toArray();
        return rows.stream()
                .map(row -> SegmentPosition.of(
                        Segment.computeSegment(row.segment(), segmentIds), row.token(serializer)))
                .toList();
    }

    /** A row of the token table, deserialized as Axon's TokenEntry does. */
    private record StoredToken(int segment, byte[] data, String type) {

        TrackingToken token(Serializer serializer) {
            return data == null
                    ? null
                    : serializer.deserialize(new SimpleSerializedObject<>(data, byte[].class, type, null));
        }
    }
}
