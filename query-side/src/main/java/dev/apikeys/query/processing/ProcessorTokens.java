package dev.apikeys.query.processing;

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
 * Every segment of a processor as the token store holds it, whichever instance claims it: Axon's
 * own token entities, read without claiming anything (the token store reads a token only to claim
 * it), and deserialized as Axon's entity does. Tokens are written only by the processors and the
 * token store. The entities' fields are read rather than the entities themselves: within a
 * transaction, the persistence context would hand back the entities of the first read on every
 * later one, and a wait would never see a processor move.
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
         * Whether it is replaying: a replay token (also when wrapped in another token) that has not
         * yet reached where the segment stood at the reset. Axon keeps the replay token past that
         * point until the next new event arrives; a segment that redid everything is not replaying.
         */
        public boolean replaying() {
            ReplayToken replay = token == null ? null : WrappedToken.unwrap(token, ReplayToken.class).orElse(null);
            if (replay == null) {
                return false;
            }
            TrackingToken atReset = WrappedToken.unwrapUpperBound(replay.getTokenAtReset());
            return atReset != null && (replay.getCurrentToken() == null || !replay.getCurrentToken().covers(atReset));
        }
    }

    /**
     * A position every segment of the processor had passed: everything up to it is applied,
     * whichever segment it fell to. Null when the processor has applied nothing yet.
     */
    public TrackingToken passedByEverySegment(String processorName) {
        long passed = claims(processorName).stream().mapToLong(claim -> appliedUpTo(claim.token())).min().orElse(-1);
        return passed < 0 ? null : GapAwareTrackingToken.newInstance(passed, Set.of());
    }

    /** Every event up to it is applied: below the segment's first gap, or its index. */
    private static long appliedUpTo(TrackingToken token) {
        TrackingToken applied = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (applied instanceof GapAwareTrackingToken gapAware && !gapAware.getGaps().isEmpty()) {
            return gapAware.getGaps().first() - 1;
        }
        return applied == null ? -1 : applied.position().orElse(-1);
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
