package dev.apikeys.query;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;

/**
 * Axon's JPA token store, shared by several query-side instances. Instances that start together on
 * a fresh database would each see no segments and insert them: the loser's insert failed on the
 * primary key inside Axon's transaction, Spring then refused to commit it, and the instance failed
 * to start. Initializing a processor's segments takes a transaction-scoped advisory lock first, so
 * the second instance finds the segments the first inserted and Axon carries on as initialized.
 */
class SharedJpaTokenStore extends JpaTokenStore {

    /** The class of these locks in the two-integer key space of advisory locks: token initialization. */
    private static final int LOCK_CLASS = 0x544f4b4e;

    private final EntityManagerProvider entityManagerProvider;

    SharedJpaTokenStore(Builder builder, EntityManagerProvider entityManagerProvider) {
        super(builder);
        this.entityManagerProvider = entityManagerProvider;
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        entityManagerProvider.getEntityManager()
                .createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, hashtext(?2))) as locked")
                .setParameter(1, LOCK_CLASS)
                .setParameter(2, processorName)
                .getSingleResult();
        super.initializeTokenSegments(processorName, segmentCount, initialToken);
    }
}
