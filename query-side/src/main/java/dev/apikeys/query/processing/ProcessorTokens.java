package dev.apikeys.query.processing;

import static dev.apikeys.query.processing.Positions.gapsOf;
import static dev.apikeys.query.processing.Positions.indexOf;

import java.util.List;
import java.util.Set;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.stereotype.Component;

/**
 * Every segment of a processor as the token store holds it, whichever instance claims it, read
 * without claiming anything (the token store reads a token only to claim it). The fields of Axon's
 * token entities are read rather than the entities, which a transaction's persistence context would
 * hand back unchanged on every later read, so a wait would never see a processor move.
 */
@Component
public class ProcessorTokens {

    private final EntityManagerProvider entityManagers;
    private final Serializer serializer;

    ProcessorTokens(EntityManagerProvider entityManagers, Serializer serializer) {
        this.entityManagers = entityManagers;
        this.serializer = serializer;
    }

    /**
     * @param owner the node id of the instance that claims it; null when nobody does
     * @param token how far it got; null for nothing yet
     */
    public record Claim(Segment segment, String owner, TrackingToken token) {

        /**
         * Whether it has yet to reach where it stood at a reset. Axon keeps the replay token past
         * that point until the next new event arrives.
         */
        public boolean replaying() {
            ReplayToken replay = token == null ? null : WrappedToken.unwrap(token, ReplayToken.class).orElse(null);
            TrackingToken atReset = replay == null ? null : WrappedToken.unwrapUpperBound(replay.getTokenAtReset());
            return atReset != null && (replay.getCurrentToken() == null || !replay.getCurrentToken().covers(atReset));
        }
    }

    /** A position every segment of the processor had passed with every event before it; null for none. */
    public TrackingToken passedByEverySegment(String processorName) {
        long passed = claims(processorName).stream()
                .mapToLong(claim -> gapsOf(claim.token()).stream().min(Long::compare).map(gap -> gap - 1)
                        .orElse(indexOf(claim.token())))
                .min().orElse(-1);
        return passed < 0 ? null : GapAwareTrackingToken.newInstance(passed, Set.of());
    }

    public List<Claim> claims(String processorName) {
        List<Object[]> entries = entityManagers.getEntityManager().createQuery("""
                select t.segment, t.owner, t.token, t.tokenType from TokenEntry t
                 where t.processorName = :name order by t.segment""", Object[].class)
                .setParameter("name", processorName)
                .getResultList();
        int[] segments = entries.stream().mapToInt(entry -> (Integer) entry[0]).toArray();
        return entries.stream()
                .map(entry -> new Claim(Segment.computeSegment((Integer) entry[0], segments), (String) entry[1],
                        token((byte[]) entry[2], (String) entry[3])))
                .toList();
    }

    private TrackingToken token(byte[] data, String type) {
        return data == null ? null
                : serializer.deserialize(new SimpleSerializedObject<>(data, byte[].class, type, null));
    }
}
