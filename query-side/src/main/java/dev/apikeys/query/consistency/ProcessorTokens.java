package dev.apikeys.query.consistency;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.tokenstore.jpa.TokenEntry;
import org.axonframework.serialization.Serializer;
import org.springframework.stereotype.Component;

/**
 * Reads a processor's committed segment positions from the token store table. It reads the rows
 * plainly rather than through the TokenStore (whose fetchToken claims the segment), so it sees the
 * segments every instance owns, not only this one's.
 */
@Component
class ProcessorTokens {

    @PersistenceContext
    private EntityManager entityManager;

    private final Serializer serializer;

    ProcessorTokens(Serializer serializer) {
        this.serializer = serializer;
    }

    List<SegmentPosition> positions(String processorName) {
        List<TokenEntry> entries = entityManager
                .createQuery("select t from TokenEntry t where t.processorName = :name", TokenEntry.class)
                .setParameter("name", processorName)
                .getResultList();
        int[] segmentIds = entries.stream().mapToInt(TokenEntry::getSegment).toArray();
        return entries.stream()
                .map(entry -> SegmentPosition.of(
                        Segment.computeSegment(entry.getSegment(), segmentIds), entry.getToken(serializer)))
                .toList();
    }
}
